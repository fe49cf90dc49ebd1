package dev.exchangemaildaemon.auth;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static dev.exchangemaildaemon.testing.SimulatorResource.passwordOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MutableClock;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Entra ID takes a token request and never answers: the wait ends at {@code mail.entra.token-timeout}, and only that
 * principal's mailboxes wait. Before the timeouts, MSAL4J's client waited forever and every poll with it.
 */
class StalledTokenTest {

    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(2);
    /** Far beyond the token timeout: a test that hits it has met an unbounded wait. */
    private static final Duration HANG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void start() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
        for (String address : new String[] { INVOICES, ORDERS }) {
            simulator.addMailbox(address).registerUser(address, passwordOf(address));
        }
    }

    @AfterEach
    void stop() {
        simulator.clearFaults();
        simulator.stop();
    }

    private EntraTokens tokens(String authFlow) {
        Map<String, String> keys = new HashMap<>(Map.of("mail.entra.auth-flow", authFlow,
                "mail.entra.token-timeout", TOKEN_TIMEOUT.toString()));
        if (authFlow.equals("username-password")) {
            keys.put("mail.entra.client-secret", "");
        }
        MailConfig config = SimulatorConfig.of(simulator, dir, keys);
        return new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()), clock,
                new SimpleMeterRegistry());
    }

    private EwsConnector connector() {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        return new EwsConnector(config, TrustedTls.create(config.exchange().trustStore()));
    }

    @Test
    void oneUsersStalledTokenFailsTheirPollInTimeWhileAnotherUserPollsOn() throws Exception {
        EntraTokens tokens = tokens("username-password");
        EwsConnector ews = connector();
        simulator.stallTokens(INVOICES);

        CompletableFuture<MailboxException> stalled = CompletableFuture.supplyAsync(() -> assertThrows(
                MailboxException.class,
                () -> ews.connect(INVOICES, tokens.forUser(INVOICES, passwordOf(INVOICES))).findUnread("inbox")));
        assertTimeoutPreemptively(HANG, () -> {
            while (simulator.tokenRequests("password") == 0) {
                Thread.sleep(5); // until the stalled request has reached Entra ID
            }
            ews.connect(ORDERS, tokens.forUser(ORDERS, passwordOf(ORDERS))).findUnread("inbox");
        }, "another user's poll waited for the stalled one");

        MailboxException failure = stalled.get(HANG.toSeconds(), TimeUnit.SECONDS);
        assertEquals("UNREACHABLE", failure.code());
        assertTrue(failure.getMessage().contains("mail.entra.token-timeout"), failure::getMessage);

        simulator.clearFaults();
        assertTimeoutPreemptively(HANG, () -> {
            // the held request, closed unanswered now, may still fail the first caller who joins it
            try {
                ews.connect(INVOICES, tokens.forUser(INVOICES, passwordOf(INVOICES))).findUnread("inbox");
            } catch (MailboxException joinedTheHeldRequest) {
                ews.connect(INVOICES, tokens.forUser(INVOICES, passwordOf(INVOICES))).findUnread("inbox");
            }
        });
    }

    @Test
    void mailboxesWaitingForTheAppTokenShareOneRequestAndEachGivesUpInTime() throws Exception {
        EntraTokens tokens = tokens("client-secret");
        simulator.stallTokens(SimulatorResource.CLIENT_ID);

        CompletableFuture<TokenException> first = CompletableFuture.supplyAsync(
                () -> assertThrows(TokenException.class, () -> tokens.forUser(INVOICES, "").get()));
        CompletableFuture<TokenException> second = CompletableFuture.supplyAsync(
                () -> assertThrows(TokenException.class, () -> tokens.forUser(ORDERS, "").get()));

        assertEquals("UNREACHABLE", first.get(HANG.toSeconds(), TimeUnit.SECONDS).errorCode().orElseThrow());
        assertEquals("UNREACHABLE", second.get(HANG.toSeconds(), TimeUnit.SECONDS).errorCode().orElseThrow());
        assertEquals(1, simulator.tokenRequests("client_credentials"), "one request in flight, not one per mailbox");
    }

    @Test
    void anAnswerThatStopsMidBodyFailsInTimeAndTheNextCallerGetsAFreshRequest() throws Exception {
        EntraTokens tokens = tokens("client-secret");
        simulator.stallTokenBodies(SimulatorResource.CLIENT_ID);

        TokenException stalled = assertTimeoutPreemptively(HANG,
                () -> assertThrows(TokenException.class, () -> tokens.forUser(INVOICES, "").get()));
        assertEquals("UNREACHABLE", stalled.errorCode().orElseThrow());

        simulator.clearFaults(); // the stalled answer stays stalled: its connection is dead
        String token = assertTimeoutPreemptively(HANG, () -> {
            // the stalled request ends at the token timeout too, and may fail a caller who joins it just before
            try {
                return tokens.forUser(INVOICES, "").get();
            } catch (TokenException joinedTheStalledRequest) {
                return tokens.forUser(INVOICES, "").get();
            }
        }, "every caller joined the stalled request");
        assertFalse(token.isEmpty());
        assertEquals(2, simulator.tokenRequests("client_credentials"), "the stalled request, then a fresh one");
    }

    @Test
    void aStalledRenewalLeavesTheStillValidTokenInUse() throws Exception {
        simulator.tokenLifetime(Duration.ofHours(1));
        EntraTokens tokens = tokens("client-secret");
        String token = tokens.forUser(INVOICES, "").get();

        clock.advance(Duration.ofMinutes(57)); // due for renewal, valid for three more minutes
        simulator.stallTokens(SimulatorResource.CLIENT_ID);

        String during = assertTimeoutPreemptively(HANG, () -> tokens.forUser(INVOICES, "").get());
        assertEquals(token, during);
        assertEquals(2, simulator.tokenRequests("client_credentials"), "the renewal was asked for");
    }
}
