package dev.exchangemaildaemon.outgoing;

import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.Await;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The SMTP port serves a bounded number of connections at once: one more is told to come back later (421), not
 * served at the cost of the daemon's memory and threads, and a place freed is taken again.
 */
class SmtpConnectionLimitTest {

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private SmtpSubmission smtp;
    private final List<Socket> open = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(SENDER);
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.outgoing.senders[0]", SENDER,
                "mail.outgoing.smtp.enabled", "true", "mail.outgoing.smtp.port", "0"));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutgoingStatus status = new OutgoingStatus(meters, Clock.systemUTC());
        Senders senders = new Senders(config, new EntraTokens(config, tls, Clock.systemUTC(), meters),
                new EwsConnector(config, tls, meters, wait -> { }));
        smtp = new SmtpSubmission(config, new OutgoingSender(senders, config, status, Clock.systemUTC()), status, false);
        smtp.start(new StartupEvent());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : open) {
            socket.close();
        }
        smtp.stop(new ShutdownEvent());
        simulator.stop();
    }

    /** Connects and reads the server's first line, with a deadline. */
    private String connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", smtp.port());
        open.add(socket);
        socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }

    @Test
    void oneConnectionMoreThanTheLimitIsToldToComeBackLater() throws Exception {
        for (int i = 0; i < SmtpSubmission.MAX_CONNECTIONS; i++) {
            String greeting = connect();
            assertTrue(greeting.startsWith("220 "), "connection " + (i + 1) + ": " + greeting);
        }
        String refused = connect();
        assertTrue(refused.startsWith("421 "), refused);

        open.remove(0).close();
        // the server counts the closed connection as gone once its thread has seen the end
        Await.until("a place freed is taken again", Duration.ofSeconds(20), () -> {
            try {
                return connect().startsWith("220 ");
            } catch (IOException e) {
                return false;
            }
        });
    }
}
