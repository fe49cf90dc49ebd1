package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.DeliveryTarget;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MimeConsumer;
import dev.exchangemaildaemon.net.TransportFailures;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.Await;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TargetFixture;
import dev.exchangemaildaemon.testing.TargetKind;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Exchange Online's everyday faults, injected into the simulator while real polls run, the same for every
 * transport and every delivery target (the Maildir, the import script as a command, a real Dovecot over LMTP): each
 * ends with every message delivered exactly once, byte for byte, and done on the server. The clients wait between
 * attempts for real, as in production. Each transport's test class says how it names the steps of a poll, and adds
 * the faults only it has.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TargetKind.class)
abstract class FaultToleranceContract {

    static final String MAILBOX = INVOICES;
    /** Big enough that a fetch answer can be cut well inside it. */
    static final int BIG_BYTES = 300 * 1024;
    /** Short, so that an answer slower than that is given up soon. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** The steps of a poll, each a request that each transport names its own way. */
    enum Step {
        LIST, FETCH, MARK_READ, MOVE
    }

    @TempDir
    Path dir;

    @Parameter
    TargetKind targetKind;

    ExchangeSimulator simulator;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<MailboxException> pollFailures = new ArrayList<>();
    /** In the inbox's order: the small sample messages, then a small one, the big one, and a last small one. */
    List<byte[]> seeded;
    /** What the poll's consumer was handed: Message-ID, and whether the stream broke in its hands. */
    private final List<String> handedOver = new CopyOnWriteArrayList<>();
    private EntraTokens tokens;
    private MailboxConnector connector;
    private TargetFixture fixture;
    private DeliveryTarget target;
    /** How long the target has spent taking messages. */
    private final AtomicLong targetNanos = new AtomicLong();
    private DeliveryLog log;
    private volatile boolean revokeTokensAfterFetch;
    final SetAside setAside = new SetAside();
    final PollProgress progress = new PollProgress(Clock.systemUTC());

    /** The transport, as {@code mail.exchange.api} names it. */
    abstract String api();

    /** The transport's connector as the daemon builds it, metered into {@link #meters}. */
    abstract MailboxConnector connector(MailConfig config, SSLContext tls);

    /** Applies the fault to the transport's next requests of that step (as narrowed by the fault). */
    abstract void inject(HttpFault fault, Step step);

    /** How many requests of that step reached the simulator, those a fault hit included. */
    abstract int serverRequests(Step step);

    /** How many requests of that step the client's meter counts with that outcome. */
    abstract double clientRequests(Step step, String outcome);

    /** Where a fault cuts the first fetch answer it hits: a byte count that falls inside a message. */
    abstract int cutInsideAMessage();

    /**
     * Whether the client asks again at once, within the poll, when an answer breaks off (dropped or truncated);
     * if not, the poll fails and the next one carries on.
     */
    abstract boolean retriesABrokenAnswer();

    @BeforeEach
    void seed() throws IOException {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(MAILBOX);
        seeded = new ArrayList<>(simulator.seedSampleMessages(MAILBOX));
        for (byte[] mime : List.of(TestMessages.plain(MAILBOX, "before the big one"), bigScan(BIG_BYTES),
                TestMessages.plain(MAILBOX, "after the big one"))) {
            simulator.deliver(MAILBOX, "inbox", mime, false);
            seeded.add(mime);
        }
        fixture = TargetFixture.start(targetKind, dir);
        target = timed(fixture.open(MAILBOX));
        log = DeliveryLog.open(dir.resolve("state").resolve(MAILBOX + ".delivered"));
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.exchange.api", api(),
                "mail.exchange.graph-url", simulator.graphUri().toString(), "mail.exchange.request-timeout",
                REQUEST_TIMEOUT.toString()));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        tokens = new EntraTokens(config, tls, Clock.systemUTC(), meters);
        connector = connector(config, tls);
    }

    @AfterEach
    void stop() throws IOException {
        log.close();
        simulator.stop();
        fixture.close();
    }

    @Test
    void unavailableIsRetriedAfterRetryAfter() throws Exception {
        inject(HttpFault.serviceUnavailable(2).times(2), Step.MARK_READ);

        Duration took = pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(3, serverRequests(Step.MARK_READ));
        assertEquals(2, clientRequests(Step.MARK_READ, "HTTP 503"));
        assertWaited(4, took, "2 s twice, as asked, not at most 3 s as without Retry-After");
    }

    @Test
    void aBackOffLongerThanAMinuteIsLeftToThePoller() throws Exception {
        inject(HttpFault.serviceUnavailable(120), Step.LIST);

        Duration took = pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of("HTTP 503"), pollFailureCodes());
        assertEquals(Duration.ofSeconds(120), pollFailures.get(0).backOff().orElseThrow());
        assertEquals(2, serverRequests(Step.LIST), "not asked again before the poll gave up");
        assertWaited(0, took, "not slept through: the poller waits, with the mailbox's next poll");
        assertEachDeliveredOnceAndRead();
    }

    @Test
    void aConnectionDroppedInsideAMessageFetchesAgainOnlyWhatWasNotDelivered() throws Exception {
        inject(HttpFault.dropConnectionAfter(cutInsideAMessage()), Step.FETCH);

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(unlessRetried(TransportFailures.CONNECTION), pollFailureCodes());
        assertEachDeliveredOnceAndRead();
        assertOneMessageBrokeAndWasHandedOverAgainAlone();
    }

    @Test
    void truncatedAnswersAreAskedForAgain() throws Exception {
        inject(HttpFault.truncateAfter(200), Step.LIST);
        inject(HttpFault.truncateAfter(300), Step.MARK_READ);

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(unlessRetried(TransportFailures.BAD_RESPONSE, TransportFailures.BAD_RESPONSE), pollFailureCodes());
        assertEachDeliveredOnceAndRead();
        assertEquals(2, serverRequests(Step.LIST));
        // a mark-read whose answer broke off was carried out: asked again by a client that retries, else not at all
        assertEquals(retriesABrokenAnswer() ? 2 : 1, serverRequests(Step.MARK_READ));
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsRetried() throws Exception {
        inject(HttpFault.delay(REQUEST_TIMEOUT.multipliedBy(3)), Step.FETCH);

        Duration took = pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(1, clientRequests(Step.FETCH, TransportFailures.TIMEOUT));
        // the timeout counted proves it gave up at the timeout, not when the server answered
        assertTrue(took.compareTo(REQUEST_TIMEOUT) >= 0, "waited for the request timeout: " + took);
    }

    @Test
    void aMessageThatKeepsComingSlowerThanTheRequestTimeoutAllowsArrives() throws Exception {
        // about 4 s in all, twice the request timeout, and never half a second without a byte
        inject(HttpFault.trickle(8, Duration.ofMillis(600)), Step.FETCH);

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEquals(0, clientRequests(Step.FETCH, TransportFailures.TIMEOUT), "not cut off at the request timeout");
        assertEachDeliveredOnceAndRead();
    }

    @Test
    void aMessageThatStopsComingFailsAtTheIdleTimeoutAndIsFetchedAgain() throws Exception {
        inject(HttpFault.stallAfter(cutInsideAMessage()), Step.FETCH);

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(unlessRetried(TransportFailures.TIMEOUT), pollFailureCodes());
        assertEquals(retriesABrokenAnswer() ? 1 : 0, clientRequests(Step.FETCH, TransportFailures.TIMEOUT));
        assertEachDeliveredOnceAndRead();
        assertOneMessageBrokeAndWasHandedOverAgainAlone();
    }

    @Test
    void aTokenRevokedMidRunIsRenewedOnceAndNothingIsRepeated() throws Exception {
        revokeTokensAfterFetch = true;

        pollUntilDone(AfterDelivery.MARK_READ);
        revokeTokensAfterFetch = false;
        byte[] later = TestMessages.plain(MAILBOX, "after the revocation");
        simulator.deliver(MAILBOX, "inbox", later, false);
        seeded.add(later);
        simulator.revokeTokens();
        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(3, simulator.tokenRequests("client_credentials"), "the first, and one after each revocation");
        assertEquals(1, clientRequests(Step.MARK_READ, "HTTP 401"));
        assertEquals(1, clientRequests(Step.LIST, "HTTP 401"));
        assertEquals(2, serverRequests(Step.LIST), "one a poll");
        assertEquals(2, serverRequests(Step.MARK_READ), "one a poll");
    }

    @Test
    void aMoveWhoseAnswerWasLostDeliversNothingTwice() throws Exception {
        inject(HttpFault.dropConnectionAfter(100), Step.MOVE);

        pollUntilDone(AfterDelivery.MOVE);
        PollOutcome next = poll(AfterDelivery.MOVE);

        // a client that retries finds them moved already (ErrorItemNotFound), which is no error; else the poll failed
        assertEquals(retriesABrokenAnswer() ? 0 : 1, pollFailures.size(), pollFailures::toString);
        assertEquals(retriesABrokenAnswer() ? 2 : 1, serverRequests(Step.MOVE));
        assertEquals(0, next.unread());
        assertEquals(List.of(), simulator.messages(MAILBOX, "inbox"));
        assertEquals(sorted(MaildirContents.wrap(seeded)), sorted(MaildirContents.wrap(
                simulator.messages(MAILBOX, "Processed").stream().map(SimMessage::mime).toList())));
        assertEachDeliveredOnce();
    }

    @Test
    void aShutdownDoesNotWaitOutABackOff() throws Exception {
        inject(HttpFault.serviceUnavailable(9), Step.LIST);
        Thread poll = new Thread(() -> pollFailures.add(assertThrows(MailboxException.class,
                () -> poll(AfterDelivery.MARK_READ))));
        poll.start();
        Await.until("the poll reaches the list request", Duration.ofSeconds(30),
                () -> clientRequests(Step.LIST, "HTTP 503") > 0);

        poll.interrupt();
        poll.join(5_000);

        assertFalse(poll.isAlive(), "the poll ended at once");
        assertEquals(List.of(TransportFailures.INTERRUPTED), pollFailureCodes());
    }

    double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Polls as the poller would until the inbox holds nothing unread, at most five times; returns how long, less the
     * time the target took to take the messages (a script or a server's own pace, not the client's waits).
     */
    Duration pollUntilDone(AfterDelivery action) throws IOException {
        long started = System.nanoTime() - targetNanos.get();
        for (int i = 0; i < 5 && simulator.messages(MAILBOX, "inbox").stream().anyMatch(m -> !m.read()); i++) {
            try {
                poll(action);
            } catch (MailboxException e) {
                pollFailures.add(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - started - targetNanos.get());
    }

    List<String> pollFailureCodes() {
        return pollFailures.stream().map(MailboxException::code).toList();
    }

    /** The poll failures that broken answers cause: none if the client asks again at once. */
    private List<String> unlessRetried(String... codes) {
        return retriesABrokenAnswer() ? List.of() : List.of(codes);
    }

    private PollOutcome poll(AfterDelivery action) throws MailboxException, IOException {
        return new MailboxPoll(observed(connector.connect(MAILBOX, tokens.forUser(MAILBOX, ""))), "inbox", target,
                log, action, "Processed", "host", setAside, progress).run();
    }

    /** The target, timing its hand-overs. */
    private DeliveryTarget timed(DeliveryTarget real) {
        return (DeliveryTarget) Proxy.newProxyInstance(DeliveryTarget.class.getClassLoader(),
                new Class<?>[] { DeliveryTarget.class }, (proxy, method, args) -> {
                    long start = System.nanoTime();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("handOver")) {
                            targetNanos.addAndGet(System.nanoTime() - start);
                        }
                    }
                });
    }

    /** The real mailbox, noting what its fetch hands over, and revoking the tokens after it if asked to. */
    private Mailbox observed(Mailbox mailbox) {
        return (Mailbox) Proxy.newProxyInstance(Mailbox.class.getClassLoader(), new Class<?>[] { Mailbox.class },
                (proxy, method, args) -> {
                    boolean fetch = method.getName().equals("fetchMime");
                    if (fetch) {
                        MimeConsumer consumer = (MimeConsumer) args[1];
                        args[1] = (MimeConsumer) (message, mime) -> {
                            try {
                                consumer.accept(message, mime);
                            } catch (IOException e) {
                                handedOver.add(message.internetMessageId().orElseThrow() + " broken");
                                throw e;
                            }
                            handedOver.add(message.internetMessageId().orElseThrow());
                        };
                    }
                    try {
                        return method.invoke(mailbox, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (fetch && revokeTokensAfterFetch) {
                            simulator.revokeTokens();
                        }
                    }
                });
    }

    void assertEachDeliveredOnceAndRead() {
        assertEachDeliveredOnce();
        List<SimMessage> inbox = simulator.messages(MAILBOX, "inbox");
        assertEquals(seeded.size(), inbox.size());
        assertTrue(inbox.stream().allMatch(SimMessage::read), "all marked read");
    }

    /** At the target once each, byte for byte, and nothing half-written. */
    private void assertEachDeliveredOnce() {
        assertEquals(sorted(MaildirContents.wrap(seeded)), sorted(fixture.delivered(MAILBOX)), fixture::serverLog);
        assertEquals(0, fixture.leftBehind(MAILBOX), "no half-written file left");
    }

    /**
     * The consumer got every message once, in order, but one of them twice: first its broken stream, then the
     * whole; those before it were not fetched again.
     */
    void assertOneMessageBrokeAndWasHandedOverAgainAlone() {
        List<String> broken = handedOver.stream().filter(entry -> entry.endsWith(" broken")).toList();
        assertEquals(1, broken.size(), () -> "one broke: " + handedOver);
        List<String> expected = new ArrayList<>(
                simulator.messages(MAILBOX, "inbox").stream().map(SimMessage::internetMessageId).toList());
        expected.add(expected.indexOf(broken.get(0).replace(" broken", "")), broken.get(0));
        assertEquals(expected, handedOver);
    }

    /**
     * The client waited that long before retrying, by its own count (the back-off it was asked for, exactly), and
     * for real. The wall time is held only to that lower bound: an upper one would fail on a loaded machine.
     */
    void assertWaited(double seconds, Duration took, String why) {
        assertEquals(seconds, count("exchange_mail_request_backoff", "api", api()), 1e-9, why);
        assertTrue(took.toMillis() >= seconds * 1000, "the wait is real: " + took);
    }

    private static List<ByteBuffer> sorted(List<ByteBuffer> messages) {
        return messages.stream().sorted().toList();
    }

    /** A message whose body is that many random bytes, base64-encoded. */
    private static byte[] bigScan(int bytes) {
        byte[] attachment = new byte[bytes];
        new Random(11).nextBytes(attachment);
        return ("Message-ID: <" + UUID.randomUUID() + "@test.example>\r\nFrom: Scanner <scan@supplier.example>\r\n"
                + "To: " + MAILBOX + "\r\nSubject: Scan attached\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: application/octet-stream; name=\"scan.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(attachment)
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
