package dev.exchangemaildaemon.outgoing;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.CapturedLog;
import dev.exchangemaildaemon.testing.MutableClock;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A send whose answer did not come (Exchange accepted the message, the request timed out waiting) is not sent a
 * second time: the retry (the SMTP client's, the next pickup round) finds the message in the sender's Sent Items.
 * Wired by hand against the simulator over EWS and over Graph, with a request timeout of a second and a clock the
 * test moves; the simulator runs the send at once and holds its answer back until the test lets it go.
 */
class UncertainSendTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private MutableClock clock;
    private PickupDirectory pickup;
    private SmtpSubmission smtp;
    private Path pickupDir;
    private String api;
    private Senders senders;
    /** Lets held answers go once the test is done with them, so that no simulator thread waits a minute. */
    private final CountDownLatch release = new CountDownLatch(1);

    private void start(String api) throws IOException {
        this.api = api;
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(SENDER).addMailbox(INVOICES);
        pickupDir = dir.resolve("pickup");
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.exchange.api", api,
                "mail.exchange.request-timeout", REQUEST_TIMEOUT.toString(),
                "mail.outgoing.senders[0]", SENDER, "mail.outgoing.pickup", pickupDir.toString(),
                "mail.outgoing.smtp.enabled", "true", "mail.outgoing.smtp.port", "0"));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        OutgoingStatus status = new OutgoingStatus(meters, clock);
        MailboxConnector connector = api.equals("graph") ? new GraphConnector(config, tls, meters)
                : new EwsConnector(config, tls, meters, wait -> { });
        senders = new Senders(config, new EntraTokens(config, tls, Clock.systemUTC(), meters), connector);
        OutgoingSender sender = new OutgoingSender(senders, config, status, clock);
        pickup = new PickupDirectory(config, sender, status, clock, false);
        pickup.start(null);
        smtp = new SmtpSubmission(config, sender, status, false);
        smtp.start(new StartupEvent());
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        if (simulator != null) {
            smtp.stop(new ShutdownEvent());
            pickup.stop(null);
            simulator.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aPickedUpFileExchangeAcceptedWithoutAnsweringInTimeIsFoundInSentItemsNotSentAgain(String api)
            throws Exception {
        start(api);
        String name = drop("invoice.eml", OutgoingMessages.invoice(SENDER, INVOICES));
        simulator.ewsFault(HttpFault.runThenHeldUntil(release).operation("CreateItem"));
        simulator.graphFault(HttpFault.runThenHeldUntil(release).operation("sendMail"));

        assertEquals(0, pickup.runOnce(), "no answer within the request timeout");
        assertTrue(Files.exists(pickupDir.resolve("new").resolve(name)), "left for the next round");
        assertEquals(1, sentItems().size(), "Exchange had sent it all the same");
        release.countDown();

        try (CapturedLog log = CapturedLog.install()) {
            assertEquals(1, pickup.runOnce(), "the next round takes it as sent");

            assertEquals(1, sentItems().size(), "sent once");
            assertEquals(1, simulator.messages(INVOICES, "inbox").size(), "received once");
            assertTrue(Files.exists(pickupDir.resolve("sent").resolve(name)));
            assertTrue(log.text().lines().anyMatch(line -> line.startsWith("INFO") && line.contains("found in Sent"
                    + " Items")), log::text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void anSmtpMessageExchangeAcceptedWithoutAnsweringInTimeIsAnswered250OnTheRetryNotSentAgain(String api)
            throws Exception {
        start(api);
        Path file = dir.resolve("invoice.eml");
        Files.write(file, OutgoingMessages.invoice(SENDER, INVOICES));
        simulator.ewsFault(HttpFault.runThenHeldUntil(release).operation("CreateItem"));
        simulator.graphFault(HttpFault.runThenHeldUntil(release).operation("sendMail"));

        Curl.Result first = Curl.submit(smtp.port(), SENDER, List.of(INVOICES), file);
        assertFalse(first.sent(), first.output());
        assertTrue(first.output().contains("451 4.3.0 no answer from Exchange, which may have sent the message"),
                first.output());
        release.countDown();

        Curl.Result retry = Curl.submit(smtp.port(), SENDER, List.of(INVOICES), file);
        assertTrue(retry.sent(), retry.output());
        assertEquals(1, sentItems().size(), "sent once");
        assertEquals(1, simulator.messages(INVOICES, "inbox").size(), "received once");
    }

    /**
     * A send that timed out without Exchange carrying it out: within the minute a Sent Items copy may lag, the retry
     * is told to come back and nothing is sent; after it, the retry sends the message, once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void anUnansweredSendThatNeverReachedSentItemsIsSentOnceItsCopyCannotBeOnItsWayAnyMore(String api)
            throws Exception {
        start(api);
        String name = drop("invoice.eml", OutgoingMessages.invoice(SENDER, INVOICES));
        simulator.ewsFault(HttpFault.unrunUntil(release).operation("CreateItem"));
        simulator.graphFault(HttpFault.unrunUntil(release).operation("sendMail"));

        assertEquals(0, pickup.runOnce(), "no answer within the request timeout");
        release.countDown();
        clock.advance(OutgoingSender.SENT_ITEMS_LAG.minusSeconds(1));
        assertEquals(0, pickup.runOnce(), "its copy might still be on its way to Sent Items: not sent yet");
        assertEquals(0, sentItems().size());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, pickup.runOnce());
        assertTrue(Files.exists(pickupDir.resolve("sent").resolve(name)));
        assertEquals(1, sentItems().size(), "sent once");
        assertEquals(1, simulator.messages(INVOICES, "inbox").size(), "received once");
    }

    /**
     * Software that reuses a Message-ID for a corrected message, whose send then gets no answer: the copy of the
     * earlier message in Sent Items, from before that attempt, does not pass for the corrected one, which is sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void anEarlierMessageUnderTheSameMessageIdInSentItemsDoesNotPassForTheUnansweredOne(String api)
            throws Exception {
        start(api);
        String id = "<invoice-4711@erp.example>";
        drop("invoice.eml", OutgoingMessages.message(SENDER, "<" + INVOICES + ">", id, "Total: 42.00 EUR"));
        assertEquals(1, pickup.runOnce());
        clock.advance(Duration.ofHours(1));
        byte[] corrected = OutgoingMessages.message(SENDER, "<" + INVOICES + ">", id, "Total: 24.00 EUR");
        drop("corrected.eml", corrected);
        simulator.ewsFault(HttpFault.unrunUntil(release).operation("CreateItem"));
        simulator.graphFault(HttpFault.unrunUntil(release).operation("sendMail"));

        assertEquals(0, pickup.runOnce(), "no answer within the request timeout");
        release.countDown();
        clock.advance(OutgoingSender.SENT_ITEMS_LAG);
        assertEquals(1, pickup.runOnce());

        assertEquals(2, sentItems().size(), "the corrected invoice went too");
        assertArrayEquals(corrected, sentItems().get(1).mime());
    }

    /** Graph answered 500 after the send went out: the retry finds it in Sent Items rather than sending it again. */
    @Test
    void aSendGraphFailedWithAServerErrorAfterSendingItIsFoundInSentItems() throws Exception {
        start("graph");
        String name = drop("invoice.eml", OutgoingMessages.invoice(SENDER, INVOICES));
        simulator.failGraphAfterRunning("sendMail", 1);

        assertEquals(0, pickup.runOnce(), "500 generalException");
        assertEquals(1, sentItems().size(), "Graph had sent it all the same");
        assertEquals(1, pickup.runOnce(), "the next round takes it as sent");

        assertTrue(Files.exists(pickupDir.resolve("sent").resolve(name)));
        assertEquals(1, sentItems().size(), "sent once");
        assertEquals(1, simulator.messages(INVOICES, "inbox").size(), "received once");
    }

    /** Throttled, Exchange refused the send before running it: the retry sends it, without looking first. */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aThrottledSendIsSentOnTheRetryWithoutSearchingSentItems(String api) throws Exception {
        start(api);
        String name = drop("invoice.eml", OutgoingMessages.invoice(SENDER, INVOICES));
        if (api.equals("graph")) {
            simulator.throttleGraph(SENDER, 100, 120);
        } else {
            simulator.throttle(SENDER, 100, 120_000);
        }

        assertEquals(0, pickup.runOnce(), "throttled");
        simulator.clearFaults();
        assertEquals(1, pickup.runOnce());

        assertTrue(Files.exists(pickupDir.resolve("sent").resolve(name)));
        assertEquals(1, sentItems().size(), "sent once");
        assertEquals(0, sentItemsSearches(), "nothing uncertain to look for");
    }

    /** Message-IDs hold characters that need quoting in a Graph filter and escaping in XML and URLs. */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void sentItemsIsSearchedByTheExactMessageId(String api) throws Exception {
        start(api);
        String id = "<4711+o'neil&co/2026@erp.example>";
        drop("invoice.eml", OutgoingMessages.message(SENDER, "<" + INVOICES + ">", id, "Total: 1.00 EUR"));
        drop("other.eml", OutgoingMessages.message(SENDER, "<" + INVOICES + ">", "<4711@erp.example>", "Other"));
        assertEquals(2, pickup.runOnce());

        Mailbox mailbox = senders.connect(SENDER);
        assertEquals(1, mailbox.findSent(id).size());
        assertEquals(id, mailbox.findSent(id).get(0).internetMessageId().orElseThrow());
        assertEquals(0, mailbox.findSent("<4711+O'NEIL&co/2026@erp.example>").size(), "the match is exact");
    }

    private int sentItemsSearches() {
        return api.equals("graph") ? simulator.graphRequestCounts().getOrDefault("listMessages", 0)
                : simulator.ewsRequestCounts().getOrDefault("FindItem", 0);
    }

    private List<SimMessage> sentItems() {
        return simulator.messages(SENDER, "sentitems");
    }

    /** Writes the message to tmp/ and renames it into new/, dated a minute back; returns its name. */
    private String drop(String name, byte[] message) throws IOException {
        Path tmp = pickupDir.resolve("tmp").resolve(name);
        Files.write(tmp, message);
        Files.setLastModifiedTime(tmp, FileTime.from(clock.instant().minus(Duration.ofMinutes(1))));
        Files.move(tmp, pickupDir.resolve("new").resolve(name));
        return name;
    }
}
