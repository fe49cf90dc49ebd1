package dev.exchangemaildaemon.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MutableClock;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A token Exchange refused is replaced by a new one from Entra ID, also where MSAL4J's own token cache would answer:
 * an authority on the default HTTPS port, as the real ones are. MSAL4J 1.26 misses its cache for an authority with a
 * port, so the simulator is reached here as {@code https://localhost} through a proxy whose tunnel to
 * {@code localhost:443} leads to it. Before, MSAL4J handed the refused token back for the rest of its hour.
 */
class RefusedTokenAtDefaultPortTest {

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private TunnelToSimulator proxy;

    @BeforeEach
    void start() throws IOException {
        simulator = ExchangeSimulator.start(0)
                .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
        proxy = new TunnelToSimulator(simulator.baseUri().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        simulator.stop();
    }

    @Test
    void aRefusedAppTokenIsReplacedByANewOneFromEntraId() throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.entra.auth-flow", "client-secret",
                "mail.entra.authority-host", "https://localhost", "mail.proxy.url", proxy.url()));
        EntraTokens entra = new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()),
                new MutableClock(Instant.now()), new SimpleMeterRegistry());
        AccessTokens tokens = entra.forUser(SimulatorResource.INVOICES, "");

        String refused = tokens.get();
        tokens.refused(refused);
        String next = tokens.get();

        assertEquals(List.of("localhost:443"), proxy.targets.stream().distinct().toList(), "the authority's port");
        assertFalse(next.equals(refused), "the refused token came back"); // keeps tokens out of the report
        assertEquals(2, simulator.tokenRequests("client_credentials"));
    }

    /** A proxy that answers every CONNECT and carries the tunnel to the simulator, whatever port was asked for. */
    private static final class TunnelToSimulator implements AutoCloseable {

        final List<String> targets = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final int simulatorPort;

        TunnelToSimulator(int simulatorPort) throws IOException {
            this.simulatorPort = simulatorPort;
            Thread acceptor = new Thread(this::accept, "test-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread tunnel = new Thread(() -> tunnel(client), "test-proxy-tunnel");
                    tunnel.setDaemon(true);
                    tunnel.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void tunnel(Socket client) {
            try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), simulatorPort)) {
                String head = readHead(client.getInputStream());
                targets.add(head.split(" ")[1]);
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                Thread back = new Thread(() -> pipe(upstream, client), "test-proxy-back");
                back.setDaemon(true);
                back.start();
                pipe(client, upstream);
                back.join();
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    throw new IOException("connection ended before the CONNECT request did");
                }
                head.append((char) next);
            }
            return head.toString();
        }

        private static void pipe(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // either side closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
