package dev.exchangemaildaemon.auth;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MutableClock;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;

/** Tokens are reused while valid, renewed before expiry, and renewed once after EWS refuses one. */
class TokenLifecycleTest {

    private ExchangeSimulator simulator;
    private MutableClock clock;
    private EntraTokens tokens;
    private EwsConnector connector;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .tokenLifetime(Duration.ofHours(1));
        simulator.addMailbox(INVOICES);
        simulator.addMailbox(ORDERS);
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        clock = new MutableClock(Instant.now());
        tokens = new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()), clock,
                new SimpleMeterRegistry());
        connector = new EwsConnector(config, TrustedTls.create(config.exchange().trustStore()));
    }

    @AfterEach
    void stop() {
        simulator.stop();
    }

    private Mailbox open(String address) {
        return connector.connect(address, tokens.forUser(address, ""));
    }

    @Test
    void oneTokenServesEveryMailboxUntilShortlyBeforeItExpires() throws Exception {
        for (int i = 0; i < 3; i++) {
            open(INVOICES).findUnread("inbox");
            open(ORDERS).findUnread("inbox");
        }
        assertEquals(1, simulator.tokenRequests("client_credentials"));

        clock.advance(Duration.ofMinutes(50));
        open(INVOICES).findUnread("inbox");
        assertEquals(1, simulator.tokenRequests("client_credentials"), "50 of 60 minutes: still fresh");

        clock.advance(Duration.ofMinutes(6));
        open(INVOICES).findUnread("inbox");
        assertEquals(2, simulator.tokenRequests("client_credentials"), "within 5 minutes of expiry: renewed");
    }

    @Test
    void aTokenRefusedMidRunIsRenewedOnceAndTheCallSucceeds() throws Exception {
        open(INVOICES).findUnread("inbox");
        simulator.revokeTokens();

        open(INVOICES).findUnread("inbox");
        open(ORDERS).findUnread("inbox");

        assertEquals(2, simulator.tokenRequests("client_credentials"));
    }
}
