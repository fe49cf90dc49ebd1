package dev.exchangemaildaemon.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.testing.Await;

/**
 * The relay's threads and sockets end with the connection they serve, whatever the other side does: a proxy that
 * answers the CONNECT and then goes silent for good (a dead link behind it, a half-open TCP connection), or a local
 * connection that never sends its request. Each would otherwise hold two threads and two sockets for as long as
 * the daemon runs.
 */
class ProxyRelayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** Answers each CONNECT with 200, then says nothing more and keeps the connection open. */
    private ServerSocket silentProxy;
    private final List<Socket> heldOpen = new CopyOnWriteArrayList<>();
    private InetSocketAddress relay;

    @BeforeEach
    void start() throws IOException {
        silentProxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread proxy = new Thread(() -> {
            while (!silentProxy.isClosed()) {
                try {
                    Socket tunnel = silentProxy.accept();
                    heldOpen.add(tunnel);
                    readHead(tunnel.getInputStream());
                    tunnel.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-proxy");
        proxy.setDaemon(true);
        proxy.start();
        relay = ProxyRelay.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), silentProxy.getLocalPort()),
                "relay-test", "relay-test-password");
    }

    @AfterEach
    void stop() throws IOException {
        silentProxy.close();
        for (Socket socket : heldOpen) {
            socket.close();
        }
    }

    @Test
    void aTunnelWhoseProxyWentSilentEndsOnceTheClientClosedIt() throws Exception {
        int idle = connectionThreads();
        try (Socket client = new Socket()) {
            client.connect(relay, 5_000);
            client.setSoTimeout(5_000);
            client.getOutputStream().write("CONNECT outlook.office365.com:443 HTTP/1.1\r\nHost: outlook.office365.com:443\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String status = readHead(client.getInputStream());
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            await("the relay serves the tunnel", () -> connectionThreads() == idle + 2);
        } // the client gives up, as the JDK client does at its request timeout; the proxy never speaks again
        await("the relay lets the tunnel go", () -> connectionThreads() == idle);
    }

    @Test
    void aLocalConnectionThatSendsNoRequestIsLetGo() throws Exception {
        int idle = connectionThreads();
        try (Socket client = new Socket()) {
            client.connect(relay, 5_000);
            await("the relay takes the connection", () -> connectionThreads() == idle + 1);
            await("the relay lets the silent connection go", () -> connectionThreads() == idle);
        }
    }

    /** This relay's threads that serve one connection each (two once a tunnel is open). */
    private int connectionThreads() {
        String prefix = "proxy-relay-" + relay.getPort() + "-";
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix)).count();
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, DEADLINE, condition);
    }

    /** Reads up to the blank line that ends an HTTP head. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }
}
