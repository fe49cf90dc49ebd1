package dev.exchangemaildaemon.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.exchangemaildaemon.graph.GraphRig.Flow;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;
import dev.exchangemaildaemon.net.TransportFailures;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.Await;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;

/**
 * fetchMime over Graph with several $value requests in flight: never more than Graph allows at once per mailbox,
 * the consumer still served one message at a time in order, faults handled as with one request at a time, and
 * nothing left behind when the fetch stops early.
 */
class MimeFetchesTest {

    private static final AtomicInteger MAILBOXES = new AtomicInteger();
    private static final Duration SLOW = Duration.ofMillis(300);
    /** How long the simulator may take to reach a state a test waits for before the test fails. */
    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static ExchangeSimulator simulator;

    @TempDir
    Path dir;

    private GraphRig rig;
    private WatchedHttpClient http;
    private String address;
    private Mailbox mailbox;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @AfterEach
    void reset() {
        simulator.clearFaults();
    }

    /** A new mailbox with that many small messages, opened with a watched HTTP client and the timeout given. */
    private List<MessageRef> mailboxWith(int messages, Map<String, String> keys) throws MailboxException {
        address = "fetches" + MAILBOXES.incrementAndGet() + "@contoso.com";
        simulator.addMailbox(address).registerUser(address, SimulatorResource.passwordOf(address));
        for (int i = 0; i < messages; i++) {
            simulator.deliver(address, "inbox", TestMessages.plain(address, "message " + i), false);
        }
        rig = new GraphRig(simulator, dir, Flow.APP_ONLY);
        mailbox = rig.graph(address, keys, real -> {
            http = new WatchedHttpClient(real);
            return http;
        });
        List<MessageRef> refs = mailbox.findUnread("inbox");
        assertEquals(messages, refs.size());
        simulator.resetCounters();
        return refs;
    }

    private List<MessageRef> mailboxWith(int messages) throws MailboxException {
        return mailboxWith(messages, Map.of());
    }

    private HttpFault slowMime(int requests) {
        return HttpFault.delay(SLOW).times(requests).operation("getMime").mailbox(address);
    }

    /** $value requests to this test's mailbox that reached the simulator. */
    private int mimeRequests() {
        return (int) simulator.graphRequests().stream()
                .filter(request -> request.operation().equals("getMime") && address.equalsIgnoreCase(request.mailbox()))
                .count();
    }

    /** Waits until the simulator has finished answering the mailbox, requests given up included. */
    private void awaitNothingInFlight() {
        await("nothing left in flight", () -> simulator.requestsInFlight(address) == 0);
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, ARRIVAL, condition);
    }

    @Test
    void fourRequestsAreInFlightAtOnceAndTheCallingThreadGetsEachInTurn() throws Exception {
        List<MessageRef> refs = mailboxWith(12);
        Collections.reverse(refs);
        simulator.graphFault(slowMime(12));
        List<String> order = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();

        List<ItemFailure> failures = mailbox.fetchMime(refs, (ref, mime) -> {
            order.add(ref.id());
            threads.add(Thread.currentThread());
            assertEquals(ref.size(), mime.readAllBytes().length);
        });

        assertEquals(List.of(), failures);
        assertEquals(ids(refs), order);
        threads.forEach(thread -> assertSame(Thread.currentThread(), thread));
        assertEquals(4, simulator.peakConcurrentRequests(address), "four at once, never a fifth");
        assertEquals(12, mimeRequests(), "one request each: none refused for concurrency");
        assertEquals(12.0, rig.metrics.counter("exchange_mail_requests", "api", "graph", "operation", "fetchMime",
                "outcome", "success").count());
        assertEquals(0, http.open());
    }

    @Test
    void aMessageOverTheLimitOrOfUnknownSizeIsFetchedWithNothingElseInFlight() throws Exception {
        address = "fetches" + MAILBOXES.incrementAndGet() + "@contoso.com";
        List<MessageRef> refs = new ArrayList<>(mailboxWithLargeThird());
        MessageRef last = refs.get(4);
        refs.set(4, new MessageRef(last.id(), last.internetMessageId(), last.received(), 0));
        List<Integer> sentWhenDelivered = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();

        mailbox.fetchMime(refs, (ref, mime) -> {
            sizes.add((long) mime.readAllBytes().length);
            awaitAnswered(0);
            sentWhenDelivered.add(mimeRequests());
        });

        assertTrue(refs.get(2).size() > MimeFetches.MAX_BYTES_IN_FLIGHT);
        assertEquals(refs.get(2).size(), sizes.get(2));
        // small, small: sent together; the large one only once they are done, and nothing with it; then the
        // small one, but not the one of unknown size with it
        assertEquals(List.of(2, 2, 3, 4, 5), sentWhenDelivered);
    }

    /** Five messages, the third larger than what may be in flight at once. */
    private List<MessageRef> mailboxWithLargeThird() throws MailboxException {
        simulator.addMailbox(address).registerUser(address, SimulatorResource.passwordOf(address));
        for (int i = 0; i < 5; i++) {
            byte[] mime = i == 2 ? large((int) MimeFetches.MAX_BYTES_IN_FLIGHT + 1024)
                    : TestMessages.plain(address, "message " + i);
            simulator.deliver(address, "inbox", mime, false);
        }
        mailbox = new GraphRig(simulator, dir, Flow.APP_ONLY).graph(address, Map.of(), real -> {
            http = new WatchedHttpClient(real);
            return http;
        });
        List<MessageRef> refs = mailbox.findUnread("inbox");
        simulator.resetCounters();
        return refs;
    }

    static Stream<Arguments> retriedFaults() {
        return Stream.of(
                Arguments.of("503 with Retry-After", HttpFault.serviceUnavailable(0), "HTTP 503"),
                Arguments.of("429 with Retry-After", HttpFault.tooManyRequests(0), "HTTP 429"),
                Arguments.of("no answer within the request timeout", HttpFault.delay(Duration.ofMillis(1500)),
                        TransportFailures.TIMEOUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retriedFaults")
    void aFaultOnARequestSentAheadIsRetriedAndEachMessageArrivesOnceInOrder(String name, HttpFault fault,
                                                                            String outcome) throws Exception {
        List<MessageRef> refs = mailboxWith(8, Map.of("mail.exchange.request-timeout", "PT0.5S"));
        List<String> order = new ArrayList<>();

        List<ItemFailure> failures = mailbox.fetchMime(refs, faultAfterFirst(fault, (ref, mime) -> {
            mime.readAllBytes();
            order.add(ref.id());
        }));

        assertEquals(List.of(), failures);
        assertEquals(ids(refs), order);
        assertEquals(9, mimeRequests(), "the fifth message's request asked again");
        assertEquals(1.0, rig.metrics.counter("exchange_mail_requests", "api", "graph", "operation", "fetchMime",
                "outcome", outcome).count());
        assertEquals(0, http.pending());
        assertEquals(0, http.open());
    }

    private MimeConsumer faultAfterFirst(HttpFault fault, MimeConsumer consumer) {
        return faultAfterFirst(() -> simulator.graphFault(fault.operation("getMime").mailbox(address)), consumer);
    }

    /**
     * Injects the fault while the first message is delivered, once the three after it have been answered (the
     * simulator decides on a fault before it sends the headers): it hits the fifth, sent ahead when the second's turn
     * comes. The second's delivery waits until the fault is used up, before the sixth is sent (on a connection that
     * may be quicker). Waiting on these states rather than for a while keeps this right on a loaded machine.
     */
    private MimeConsumer faultAfterFirst(Runnable fault, MimeConsumer consumer) {
        AtomicInteger delivered = new AtomicInteger();
        return (ref, mime) -> {
            int turn = delivered.getAndIncrement();
            if (turn == 0) {
                awaitAnswered(MimeFetches.MAX_IN_FLIGHT);
                fault.run();
            } else if (turn == 1) {
                await("the fault hit the fifth request", () -> !simulator.graphFaultsLeft());
            }
            consumer.accept(ref, mime);
        };
    }

    @Test
    void aMessageGoneMeanwhileIsAnItemFailureAndTheRestArrive() throws Exception {
        List<MessageRef> refs = new ArrayList<>(mailboxWith(7));
        MessageRef gone = new MessageRef("AAMkAGoneGone", Optional.empty(), refs.get(0).received(), 100);
        refs.add(2, gone);
        List<String> order = new ArrayList<>();

        List<ItemFailure> failures = mailbox.fetchMime(refs, (ref, mime) -> {
            mime.readAllBytes();
            order.add(ref.id());
        });

        assertEquals(1, failures.size());
        assertEquals(gone, failures.get(0).message());
        assertEquals("ErrorItemNotFound", failures.get(0).error().code());
        refs.remove(gone);
        assertEquals(ids(refs), order);
        assertEquals(8, mimeRequests());
    }

    @Test
    void aLongRetryAfterMakesTheRestItemFailuresAndCancelsWhatWasSentAhead() throws Exception {
        List<MessageRef> refs = mailboxWith(8);
        List<String> order = new ArrayList<>();

        List<ItemFailure> failures = mailbox.fetchMime(refs, faultAfterFirst(HttpFault.tooManyRequests(120),
                (ref, mime) -> order.add(ref.id())));

        assertEquals(ids(refs.subList(0, 4)), order);
        assertEquals(ids(refs.subList(4, 8)), failures.stream().map(failure -> failure.message().id()).toList());
        assertTrue(failures.stream().allMatch(failure -> failure.error().backOff().orElseThrow()
                .equals(Duration.ofSeconds(120))));
        assertEquals(0, http.pending());
        assertEquals(0, http.open());
    }

    @Test
    void aFailingConsumerStopsTheFetchAndWhatWasSentAheadIsCancelled() throws Exception {
        List<MessageRef> refs = mailboxWith(12);
        IOException diskFull = new IOException("No space left on device");
        List<String> order = new ArrayList<>();

        MailboxException e = assertThrows(MailboxException.class, () -> mailbox.fetchMime(refs, (ref, mime) -> {
            order.add(ref.id());
            if (order.size() == 2) {
                awaitAnswered(MimeFetches.MAX_IN_FLIGHT + 1);
                throw diskFull;
            }
        }));

        assertEquals(MailboxException.LOCAL_DELIVERY, e.code());
        assertSame(diskFull, e.getCause());
        assertEquals(ids(refs.subList(0, 2)), order);
        assertEquals(5, http.sentAsync(), "the second and the three after it");
        assertEquals(0, http.pending());
        assertEquals(0, http.open(), "answers sent ahead closed unread");
        aFollowingFetchGetsEverythingWithFourInFlight(refs);
    }

    static Stream<Arguments> hardFaults() {
        return Stream.of(
                Arguments.of("access denied", fault((sim, box) -> sim.failGraphMailbox(box, "ErrorAccessDenied")),
                        "ErrorAccessDenied"),
                Arguments.of("connection dropped inside the message", fault((sim, box) ->
                        sim.graphFault(HttpFault.dropConnectionAfter(100).operation("getMime").mailbox(box))),
                        TransportFailures.CONNECTION));
    }

    private static BiConsumer<ExchangeSimulator, String> fault(BiConsumer<ExchangeSimulator, String> fault) {
        return fault;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hardFaults")
    void aHardErrorOnARequestSentAheadStopsTheFetchInItsTurnAndCancelsTheRest(
            String name, BiConsumer<ExchangeSimulator, String> fault, String code) throws Exception {
        List<MessageRef> refs = mailboxWith(12);
        List<String> order = new ArrayList<>();

        MailboxException e = assertThrows(MailboxException.class, () -> mailbox.fetchMime(refs,
                faultAfterFirst(() -> fault.accept(simulator, address), (ref, mime) -> {
                    mime.readAllBytes();
                    order.add(ref.id());
                })));

        assertEquals(code, e.code());
        assertEquals(ids(refs.subList(0, 4)), order, "those answered before the fault, in order");
        assertEquals(8, http.sentAsync(), "the fifth and the three after it");
        assertEquals(0, http.pending());
        assertEquals(0, http.open());
        simulator.clearFaults();
        aFollowingFetchGetsEverythingWithFourInFlight(refs);
    }

    @Test
    void anInterruptEndsTheFetchPromptlyAndCancelsWhatWasSent() throws Exception {
        List<MessageRef> refs = mailboxWith(8);
        Duration unanswered = Duration.ofSeconds(3);
        simulator.graphFault(HttpFault.delay(unanswered).times(4).operation("getMime").mailbox(address));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread fetching = new Thread(() -> thrown.set(assertThrows(MailboxException.class,
                () -> mailbox.fetchMime(refs, (ref, mime) -> mime.readAllBytes()))));
        fetching.start();
        await("four requests reach the simulator", () -> http.sentAsync() == 4 && mimeRequests() == 4);
        fetching.interrupt();
        fetching.join(unanswered.dividedBy(2).toMillis());

        assertFalse(fetching.isAlive(), "the fetch ended without waiting for the answers");
        assertEquals(TransportFailures.INTERRUPTED, ((MailboxException) thrown.get()).code());
        assertEquals(4, http.sentAsync());
        assertEquals(0, http.pending());
        assertEquals(0, http.open());
        // the simulator's threads still answer the requests given up: let them finish before the next test
        awaitNothingInFlight();
    }

    /** After waiting out what the server may still be answering, a new fetch gets all with four in flight. */
    private void aFollowingFetchGetsEverythingWithFourInFlight(List<MessageRef> refs) throws Exception {
        awaitNothingInFlight();
        simulator.resetCounters();
        simulator.graphFault(slowMime(refs.size()));
        List<String> order = new CopyOnWriteArrayList<>();

        assertEquals(List.of(), mailbox.fetchMime(refs, (ref, mime) -> {
            mime.readAllBytes();
            order.add(ref.id());
        }));

        assertEquals(ids(refs), order);
        assertEquals(4, simulator.peakConcurrentRequests(address));
        assertEquals(refs.size(), mimeRequests());
    }

    private static List<String> ids(List<MessageRef> refs) {
        return refs.stream().map(MessageRef::id).toList();
    }

    private static byte[] large(int bytes) {
        StringBuilder mime = new StringBuilder(new String(TestMessages.plain("large@contoso.com", "large"),
                StandardCharsets.UTF_8));
        String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n";
        while (mime.length() < bytes) {
            mime.append(line);
        }
        return mime.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits until that many requests were sent ahead and every request sent has its answer's headers: the simulator
     * has logged it and decided on its fault by then.
     */
    private void awaitAnswered(int sent) {
        await(sent + " requests answered", () -> http.sentAsync() >= sent && http.pending() == 0);
    }
}
