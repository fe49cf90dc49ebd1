package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Exchange Online's everyday faults, injected into the simulator while real polls run: each ends with every
 * message in the Maildir exactly once, byte for byte, and done on the server. The waits between attempts are
 * recorded instead of slept, except in the one test that proves the waiting is real.
 */
class EwsFaultToleranceTest {

    private static final String MAILBOX = INVOICES;
    /** Big enough that a response cut at {@link #cutInsideTheBigMessage()} is cut inside it. */
    private static final int BIG_BYTES = 300 * 1024;

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<MailboxException> pollFailures = new ArrayList<>();
    /** What the poll's consumer was handed: item id, and whether the stream broke in its hands. */
    private final List<String> handedOver = new CopyOnWriteArrayList<>();
    private List<byte[]> seeded;
    private String bigMessageId;
    private EntraTokens tokens;
    private EwsConnector connector;
    private Maildir maildir;
    private DeliveryLog log;
    private Runnable afterFetch = () -> {
    };

    @BeforeEach
    void seed() throws IOException {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(MAILBOX);
        seeded = new ArrayList<>(simulator.seedSampleMessages(MAILBOX));
        byte[] small = TestMessages.plain(MAILBOX, "before the big one");
        byte[] big = withAttachment(BIG_BYTES);
        byte[] last = TestMessages.plain(MAILBOX, "after the big one");
        simulator.deliver(MAILBOX, "inbox", small, false);
        bigMessageId = simulator.deliver(MAILBOX, "inbox", big, false);
        simulator.deliver(MAILBOX, "inbox", last, false);
        seeded.addAll(List.of(small, big, last));
        maildir = new Maildir(dir.resolve("maildir").resolve(MAILBOX)).create();
        log = DeliveryLog.open(dir.resolve("state").resolve(MAILBOX + ".delivered"));
        wire(Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        log.close();
        simulator.stop();
    }

    @Test
    void throttlingIsWaitedOutForTheBackOffTheServerAsked() throws Exception {
        simulator.throttle(MAILBOX, 3, 1500);

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofMillis(1500), Duration.ofMillis(1500)), waits);
        assertEquals(Map.of("FindItem", 4, "GetItem", 1, "UpdateItem", 1), simulator.ewsRequestCounts());
        assertEquals(3, count("ews.retries", "operation", "FindItem", "reason", "ErrorServerBusy"));
        assertEquals(4.5, meters.get("ews.backoff").counter().count(), 1e-9);
    }

    @Test
    void unavailableIsRetriedAfterRetryAfter() throws Exception {
        simulator.httpFault(HttpFault.serviceUnavailable(2).operation("UpdateItem").times(2));

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), waits);
        assertEquals(3, simulator.ewsRequestCounts().get("UpdateItem"));
        assertEquals(2, count("ews.requests", "operation", "UpdateItem", "outcome", "HTTP 503"));
    }

    @Test
    void aBackOffLongerThanAMinuteIsLeftToThePoller() throws Exception {
        simulator.httpFault(HttpFault.tooManyRequests(120).operation("GetItem"));

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(1, pollFailures.size());
        assertEquals("HTTP 429", pollFailures.get(0).code());
        assertEquals(Duration.ofSeconds(120), pollFailures.get(0).backOff().orElseThrow());
        assertEquals(List.of(), waits, "not slept through");
        assertEachDeliveredOnceAndRead();
    }

    @Test
    void aConnectionDroppedInsideABatchFetchesAgainOnlyWhatWasNotDelivered() throws Exception {
        simulator.httpFault(HttpFault.dropConnectionAfter(cutInsideTheBigMessage()).operation("GetItem"));

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertOnlyTheBigMessageWasHandedOverTwice();
        assertEquals(2, simulator.ewsRequestCounts().get("GetItem"));
        assertEquals(1, count("ews.requests", "operation", "GetItem", "outcome", "CONNECTION"));
        assertEquals(1, waits.size());
    }

    @Test
    void truncatedAnswersAreRetried() throws Exception {
        simulator.httpFault(HttpFault.truncateAfter(cutInsideTheBigMessage()).operation("GetItem"))
                .httpFault(HttpFault.truncateAfter(300).operation("UpdateItem"));

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertOnlyTheBigMessageWasHandedOverTwice();
        assertEquals(Map.of("FindItem", 1, "GetItem", 2, "UpdateItem", 2), simulator.ewsRequestCounts());
        assertEquals(1, count("ews.retries", "operation", "GetItem", "reason", "BAD_RESPONSE"));
        assertEquals(1, count("ews.retries", "operation", "UpdateItem", "reason", "BAD_RESPONSE"));
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsRetried() throws Exception {
        wire(Map.of("mail.exchange.request-timeout", "PT1S"));
        simulator.httpFault(HttpFault.delay(Duration.ofMillis(2500)).operation("GetItem"));

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(1, count("ews.requests", "operation", "GetItem", "outcome", "TIMEOUT"));
        assertEquals(2, simulator.ewsRequestCounts().get("GetItem"));
        double slowest = meters.get("ews.request").tag("operation", "GetItem").timer().max(TimeUnit.MILLISECONDS);
        assertTrue(slowest >= 1000 && slowest < 2500, "gave up at the timeout, not when the server answered: "
                + slowest + " ms");
    }

    @Test
    void aTokenRevokedMidRunIsRenewedOnceAndNothingIsRepeated() throws Exception {
        afterFetch = simulator::revokeTokens;

        pollUntilDone(AfterDelivery.MARK_READ);
        afterFetch = () -> {
        };
        byte[] later = TestMessages.plain(MAILBOX, "after the revocation");
        simulator.deliver(MAILBOX, "inbox", later, false);
        seeded.add(later);
        simulator.revokeTokens();
        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(3, simulator.tokenRequests("client_credentials"), "the first, and one after each revocation");
        assertEquals(1, count("ews.requests", "operation", "UpdateItem", "outcome", "HTTP 401"));
        assertEquals(1, count("ews.requests", "operation", "FindItem", "outcome", "HTTP 401"));
        assertEquals(List.of(), waits);
    }

    @Test
    void aMoveWhoseAnswerWasLostIsNotAnErrorAndNothingIsDeliveredTwice() throws Exception {
        simulator.httpFault(HttpFault.dropConnectionAfter(100).operation("MoveItem"));

        PollOutcome outcome = poll(AfterDelivery.MOVE);
        PollOutcome next = poll(AfterDelivery.MOVE);

        assertEquals(seeded.size(), outcome.delivered());
        assertEquals(seeded.size(), outcome.itemFailures(), "the retry found them moved already: ErrorItemNotFound");
        assertEquals(0, next.unread());
        assertEquals(List.of(), simulator.messages(MAILBOX, "inbox"));
        assertEquals(sorted(MaildirContents.wrap(seeded)),
                sorted(MaildirContents.wrap(simulator.messages(MAILBOX, "Processed").stream().map(SimMessage::mime)
                        .toList())));
        assertEquals(sorted(MaildirContents.wrap(seeded)), sorted(MaildirContents.messages(dir.resolve("maildir"),
                MAILBOX)));
        assertEquals(2, simulator.ewsRequestCounts().get("MoveItem"));
    }

    @Test
    void theWaitIsReal() throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        connector = new EwsConnector(config, tls(config), meters);
        simulator.throttle(MAILBOX, 1, 1000);
        long started = System.nanoTime();

        pollUntilDone(AfterDelivery.MARK_READ);

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(1)) >= 0);
        assertEquals(1.0, meters.get("ews.backoff").counter().count(), 1e-9);
        assertEachDeliveredOnceAndRead();
    }

    @Test
    void aShutdownDoesNotWaitOutABackOff() throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        connector = new EwsConnector(config, tls(config), meters);
        simulator.throttle(MAILBOX, 1, 30_000);
        Thread poll = new Thread(() -> {
            try {
                poll(AfterDelivery.MARK_READ);
            } catch (MailboxException e) {
                pollFailures.add(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        poll.start();
        while (meters.find("ews.retries").counter() == null) {
            Thread.sleep(20);
        }

        poll.interrupt();
        poll.join(5_000);

        assertFalse(poll.isAlive(), "the poll ended at once");
        assertEquals(List.of("INTERRUPTED"), pollFailures.stream().map(MailboxException::code).toList());
    }

    private void wire(Map<String, String> overrides) {
        MailConfig config = SimulatorConfig.of(simulator, dir, overrides);
        tokens = new EntraTokens(config, tls(config), Clock.systemUTC(), meters);
        connector = new EwsConnector(config, tls(config), meters, waits::add);
    }

    private static SSLContext tls(MailConfig config) {
        return TrustedTls.create(config.exchange().trustStore());
    }

    /** Polls as the poller would until the inbox holds nothing unread, at most five times. */
    private void pollUntilDone(AfterDelivery action) throws IOException {
        for (int i = 0; i < 5 && simulator.messages(MAILBOX, "inbox").stream().anyMatch(m -> !m.read()); i++) {
            try {
                poll(action);
            } catch (MailboxException e) {
                pollFailures.add(e);
            }
        }
    }

    private PollOutcome poll(AfterDelivery action) throws MailboxException, IOException {
        Mailbox mailbox = new Observed(connector.connect(MAILBOX, tokens.forUser(MAILBOX, "")));
        return new MailboxPoll(mailbox, "inbox", maildir, log, action, "Processed", "host").run();
    }

    private void assertEachDeliveredOnceAndRead() {
        assertEquals(sorted(MaildirContents.wrap(seeded)),
                sorted(MaildirContents.messages(dir.resolve("maildir"), MAILBOX)));
        assertEquals(0, MaildirContents.count(maildir.root().resolve("tmp")), "no half-written file left");
        List<SimMessage> inbox = simulator.messages(MAILBOX, "inbox");
        assertEquals(seeded.size(), inbox.size());
        assertTrue(inbox.stream().allMatch(SimMessage::read), "all marked read");
    }

    /** The consumer got every message once, but the big one twice: first its broken stream, then the whole. */
    private void assertOnlyTheBigMessageWasHandedOverTwice() {
        List<String> expected = new ArrayList<>();
        for (SimMessage message : simulator.messages(MAILBOX, "inbox")) {
            if (message.id().equals(bigMessageId)) {
                expected.add(message.id() + " broken");
            }
            expected.add(message.id());
        }
        assertEquals(expected, handedOver);
    }

    /** A byte count of a GetItem response that lies inside the big message's MimeContent. */
    private int cutInsideTheBigMessage() {
        int before = 0;
        for (byte[] mime : seeded.subList(0, seeded.size() - 2)) {
            before += Base64.getMimeEncoder().encodeToString(mime).length() + 2_000;
        }
        assertTrue(before + 20_000 < BIG_BYTES, "the cut falls inside the big message");
        return before + 20_000;
    }

    private double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<ByteBuffer> sorted(List<ByteBuffer> messages) {
        return messages.stream().sorted().toList();
    }

    private static byte[] withAttachment(int bytes) {
        byte[] attachment = new byte[bytes];
        new Random(11).nextBytes(attachment);
        String boundary = "b-" + UUID.randomUUID();
        String mime = "Message-ID: <" + UUID.randomUUID() + "@test.example>\r\n"
                + "From: Supplier <billing@supplier.example>\r\n"
                + "To: " + MAILBOX + "\r\n"
                + "Subject: Scan attached\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nSee the scan.\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream; name=\"scan.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n"
                + "--" + boundary + "--\r\n";
        return mime.getBytes(StandardCharsets.US_ASCII);
    }

    /** The real mailbox, noting what its fetch hands over and running {@link #afterFetch} once a fetch ends. */
    private final class Observed implements Mailbox {

        private final Mailbox mailbox;

        Observed(Mailbox mailbox) {
            this.mailbox = mailbox;
        }

        @Override
        public List<ItemFailure> fetchMime(List<MessageRef> messages, MimeConsumer consumer) throws MailboxException {
            try {
                return mailbox.fetchMime(messages, (message, mime) -> {
                    try {
                        consumer.accept(message, mime);
                    } catch (IOException e) {
                        handedOver.add(message.id() + " broken");
                        throw e;
                    }
                    handedOver.add(message.id());
                });
            } finally {
                afterFetch.run();
            }
        }

        @Override
        public String address() {
            return mailbox.address();
        }

        @Override
        public void checkFolder(String folder) throws MailboxException {
            mailbox.checkFolder(folder);
        }

        @Override
        public List<MessageRef> findUnread(String folder) throws MailboxException {
            return mailbox.findUnread(folder);
        }

        @Override
        public List<ItemFailure> markRead(List<MessageRef> messages) throws MailboxException {
            return mailbox.markRead(messages);
        }

        @Override
        public List<ItemFailure> move(List<MessageRef> messages, String folderName) throws MailboxException {
            return mailbox.move(messages, folderName);
        }

        @Override
        public List<ItemFailure> delete(List<MessageRef> messages) throws MailboxException {
            return mailbox.delete(messages);
        }

        @Override
        public void send(OutgoingMessage message) throws MailboxException {
            mailbox.send(message);
        }
    }
}
