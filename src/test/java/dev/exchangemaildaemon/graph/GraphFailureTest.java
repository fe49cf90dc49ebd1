package dev.exchangemaildaemon.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.exchangemaildaemon.graph.GraphRig.Flow;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.SimulatorResource;

/** Graph's errors become MailboxExceptions of the right code and kind; throttling is waited out or handed on. */
class GraphFailureTest {

    private static final String MAILBOX = SimulatorResource.INVOICES;
    private static ExchangeSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(MAILBOX).registerUser(MAILBOX, SimulatorResource.passwordOf(MAILBOX));
        simulator.seedSampleMessages(MAILBOX);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @AfterEach
    void reset() {
        simulator.clearFaults();
        simulator.resetCounters();
        simulator.graphAppRoles(SimulatorResource.CLIENT_ID, "Mail.ReadWrite", "Mail.Send");
    }

    private Mailbox open(String address) {
        return new GraphRig(simulator, dir, Flow.APP_ONLY).graph(address);
    }

    @ParameterizedTest
    @CsvSource({
        "ErrorInvalidUser, PERMANENT",
        "MailboxNotEnabledForRESTAPI, PERMANENT",
        "ResourceNotFound, PERMANENT",
        "ErrorAccessDenied, AUTH",
        "ErrorMailboxStoreUnavailable, TRANSIENT"})
    void aMailboxFaultBecomesItsCodeAndKind(String code, Kind kind) {
        simulator.failGraphMailbox(MAILBOX, code);

        MailboxException e = assertThrows(MailboxException.class, () -> open(MAILBOX).findUnread("inbox"));

        assertEquals(code, e.code());
        assertEquals(kind, e.kind());
    }

    @Test
    void anErrorBodyThatNeverEndsIsReadOnlyUpToItsCap() {
        simulator.graphFault(HttpFault.endlessErrorBody(500).operation("listMessages").mailbox(MAILBOX));
        // a request timeout far beyond the test's patience: only the cap on the body can end it
        Mailbox mailbox = new GraphRig(simulator, dir, Flow.APP_ONLY).graph(MAILBOX,
                Map.of("mail.exchange.request-timeout", "PT1H"), http -> http);

        MailboxException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(MailboxException.class, () -> mailbox.findUnread("inbox")));

        assertEquals("HTTP 500", e.code(), "the status is all there is");
    }

    @Test
    void anErrorBodyThatStopsComingEndsAtTheRequestTimeout() {
        simulator.graphFault(HttpFault.stalledErrorBody(500).operation("listMessages").mailbox(MAILBOX));
        Mailbox mailbox = new GraphRig(simulator, dir, Flow.APP_ONLY).graph(MAILBOX,
                Map.of("mail.exchange.request-timeout", "PT2S"), http -> http);

        MailboxException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(MailboxException.class, () -> mailbox.findUnread("inbox")));

        assertEquals("HTTP 500", e.code());
    }

    @Test
    void aMailboxTheTenantDoesNotHaveIsErrorInvalidUser() {
        MailboxException e = assertThrows(MailboxException.class,
                () -> open("nobody@contoso.com").checkFolder("inbox"));

        assertEquals("ErrorInvalidUser", e.code());
        assertEquals(Kind.PERMANENT, e.kind());
        assertTrue(e.detail().contains("nobody@contoso.com"), e.detail());
    }

    @Test
    void anAppWithoutTheGraphPermissionIsAccessDenied() {
        simulator.graphAppRoles(SimulatorResource.CLIENT_ID, "User.Read.All");

        MailboxException e = assertThrows(MailboxException.class, () -> open(MAILBOX).findUnread("inbox"));

        assertEquals("ErrorAccessDenied", e.code());
        assertEquals(Kind.AUTH, e.kind());
    }

    @Test
    void aShortRetryAfterIsWaitedOut() throws Exception {
        simulator.throttleGraph(MAILBOX, 1, 1);
        long started = System.nanoTime();

        assertEquals(4, open(MAILBOX).findUnread("inbox").size());

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(1)) >= 0,
                "waited as Retry-After said");
        assertEquals(2, simulator.graphRequestCounts().get("listMessages"));
    }

    @Test
    void aLongRetryAfterGoesToTheCallerAsBackOff() {
        simulator.throttleGraph(MAILBOX, 5, 120);

        MailboxException e = assertThrows(MailboxException.class, () -> open(MAILBOX).findUnread("inbox"));

        assertEquals("ApplicationThrottled", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(Optional.of(Duration.ofSeconds(120)), e.backOff());
        assertEquals(1, simulator.graphRequestCounts().get("listMessages"), "not retried");
    }

    @Test
    void aThrottledBatchIsHandedOnWithItsBackOffAndChangesNothing() throws Exception {
        Mailbox mailbox = open(MAILBOX);
        var refs = mailbox.findUnread("inbox");
        simulator.throttleGraph(null, 1, 60);

        var e = assertThrows(MailboxException.class, () -> mailbox.markRead(refs));

        assertEquals(Optional.of(Duration.ofSeconds(60)), e.backOff());
        assertEquals(4, open(MAILBOX).findUnread("inbox").size());
    }

    @Test
    void serviceUnavailableWithoutBodyIsRetriedThenHandedOn() {
        simulator.graphFault(HttpFault.serviceUnavailable(1).operation("getFolder").times(3));

        MailboxException e = assertThrows(MailboxException.class, () -> open(MAILBOX).checkFolder("inbox"));

        assertEquals("HTTP 503", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(3, simulator.graphRequestCounts().get("getFolder"), "three attempts");
    }

    @Test
    void aDroppedConnectionDuringAMessageIsAConnectionFailure() throws Exception {
        Mailbox mailbox = open(MAILBOX);
        var refs = mailbox.findUnread("inbox");
        simulator.graphFault(HttpFault.dropConnectionAfter(100).operation("getMime").times(3));

        MailboxException e = assertThrows(MailboxException.class,
                () -> mailbox.fetchMime(refs.subList(0, 1), (ref, mime) -> mime.readAllBytes()));

        assertEquals("CONNECTION", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
    }

    @Test
    void requestsAreCounted() throws Exception {
        GraphRig rig = new GraphRig(simulator, dir, Flow.APP_ONLY);
        simulator.throttleGraph(MAILBOX, 1, 0);

        rig.graph(MAILBOX).findUnread("inbox");

        // the same meters as EWS's, told apart by the api label
        assertEquals(1.0, rig.metrics.counter("exchange_mail_requests", "api", "graph", "operation", "findUnread",
                "outcome", "success").count());
        assertEquals(1.0, rig.metrics.counter("exchange_mail_requests", "api", "graph", "operation", "findUnread",
                "outcome", "ApplicationThrottled").count());
        assertEquals(1.0, rig.metrics.counter("exchange_mail_request_retries", "api", "graph", "operation",
                "findUnread", "reason", "ApplicationThrottled").count());
        assertEquals(2, rig.metrics.get("exchange_mail_request_duration").tags("api", "graph", "operation",
                "findUnread").timer().count());
        assertEquals(1, rig.metrics.find("exchange_mail_request_backoff").tags("api", "graph").counters().size());
    }
}
