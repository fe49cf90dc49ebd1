package dev.exchangemaildaemon.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A relay on the loopback interface that passes each connection on to the configured proxy, adding the proxy's
 * Basic credentials to the request that opens it (for HTTPS, the CONNECT).
 *
 * <p>Why: the JDK HTTP client authenticates to a proxy only through an {@link java.net.Authenticator}, and a client
 * with an authenticator drops every request's own {@code Authorization} header, the bearer token EWS and Graph
 * need. It also refuses Basic for CONNECT unless {@code jdk.http.auth.tunneling.disabledSchemes} is changed for the
 * whole JVM. So the clients talk to this relay, which holds the credentials, without an authenticator. The relay
 * only forwards bytes; TLS stays end to end between the daemon and Microsoft.
 */
final class ProxyRelay {

    private static final Map<String, ProxyRelay> RUNNING = new ConcurrentHashMap<>();
    /** A request head larger than this is no CONNECT request of the daemon's. */
    private static final int MAX_HEAD = 16 * 1024;
    /** The daemon's clients send their CONNECT at once; a local connection that sends nothing is let go. */
    private static final int HEAD_TIMEOUT_MILLIS = 3_000;
    /**
     * How long the proxy's side may still talk once the client has ended its side. The JDK client ends a connection
     * whole, never half, so nothing more is read then; but a proxy (or the network behind it) that went silent
     * would otherwise hold the relay's threads and sockets for good.
     */
    private static final long AFTER_CLIENT_ENDED_MILLIS = 2_000;

    private final InetSocketAddress upstream;
    private final String authorization;
    private final ServerSocket server;

    private ProxyRelay(InetSocketAddress upstream, String user, String password) throws IOException {
        this.upstream = upstream;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-relay", this::accept).start();
    }

    /** The one relay of this JVM to that proxy as that user, started on first use. */
    static InetSocketAddress to(InetSocketAddress upstream, String user, String password) {
        String key = upstream.getHostString() + ":" + upstream.getPort() + " " + user + " " + password;
        ProxyRelay relay = RUNNING.computeIfAbsent(key, ignored -> {
            try {
                return new ProxyRelay(upstream, user, password);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the loopback relay to the proxy", e);
            }
        });
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                daemon(threadName("connection"), () -> relay(client)).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket proxy = new Socket()) {
            client.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            byte[] head = readHead(client.getInputStream());
            if (head == null) {
                return;
            }
            client.setSoTimeout(0); // from here each side's own deadlines apply
            try {
                proxy.connect(new InetSocketAddress(upstream.getHostString(), upstream.getPort()), 10_000);
            } catch (IOException unreachable) {
                // the proxy itself is not there: say so as a proxy would (the check then probes it)
                client.getOutputStream().write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            OutputStream toProxy = proxy.getOutputStream();
            toProxy.write(withAuthorization(head));
            toProxy.flush();
            Thread back = daemon(threadName("back"), () -> pump(proxy, client));
            back.start();
            pump(client, proxy);
            back.join(AFTER_CLIENT_ENDED_MILLIS); // then closing both sockets ends the other pump
        } catch (IOException e) {
            // a connection that ends: the client sees it end too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The head up to and with the blank line; null when the connection ends before it or it is too long. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int next = in.read();
            if (next < 0 || head.size() >= MAX_HEAD) {
                return null;
            }
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private byte[] withAuthorization(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int firstLineEnd = text.indexOf("\r\n") + 2;
        return (text.substring(0, firstLineEnd) + "Proxy-Authorization: " + authorization + "\r\n"
                + text.substring(firstLineEnd)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** Named by the relay's port, so that a thread dump tells which relay a thread serves. */
    private String threadName(String role) {
        return "proxy-relay-" + server.getLocalPort() + "-" + role;
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
