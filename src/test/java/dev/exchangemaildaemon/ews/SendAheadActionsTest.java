package dev.exchangemaildaemon.ews;

import static dev.exchangemaildaemon.ews.SendAheadRig.LATENCY;
import static dev.exchangemaildaemon.ews.SendAheadRig.MAILBOX;
import static dev.exchangemaildaemon.ews.SendAheadRig.delayed;
import static dev.exchangemaildaemon.ews.SendAheadRig.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.simulator.EwsRequestRecord;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.testing.Await;

/**
 * The after-delivery actions (mark read, move, delete) send each batch's request while the batch before is still
 * being answered, and keep every guarantee of batches sent one after the other: the cap on requests, per-item
 * failures, a server back-off stopping the remaining batches, retries, and nothing left held on failure.
 */
class SendAheadActionsTest {

    private static final String TARGET = "Processed";

    /** An action as the poller calls it, with what the mailbox looks like once it is done. */
    enum Action {
        MARK_READ("UpdateItem") {
            @Override
            List<ItemFailure> run(Mailbox mailbox, List<MessageRef> messages) throws MailboxException {
                return mailbox.markRead(messages);
            }

            @Override
            void assertDone(ExchangeSimulator simulator, List<String> messageIds) {
                List<SimMessage> inbox = simulator.messages(MAILBOX, "inbox");
                assertEquals(sorted(messageIds), sorted(internetMessageIds(inbox)));
                assertTrue(inbox.stream().allMatch(SimMessage::read), "all read");
            }
        },
        MOVE("MoveItem") {
            @Override
            List<ItemFailure> run(Mailbox mailbox, List<MessageRef> messages) throws MailboxException {
                return mailbox.move(messages, TARGET);
            }

            @Override
            void assertDone(ExchangeSimulator simulator, List<String> messageIds) {
                assertEquals(List.of(), simulator.messages(MAILBOX, "inbox"));
                assertEquals(sorted(messageIds), sorted(internetMessageIds(simulator.messages(MAILBOX, TARGET))));
            }
        },
        DELETE("DeleteItem") {
            @Override
            List<ItemFailure> run(Mailbox mailbox, List<MessageRef> messages) throws MailboxException {
                return mailbox.delete(messages);
            }

            @Override
            void assertDone(ExchangeSimulator simulator, List<String> messageIds) {
                assertEquals(List.of(), simulator.messages(MAILBOX, "inbox"));
                assertEquals(sorted(messageIds),
                        sorted(internetMessageIds(simulator.messages(MAILBOX, "deleteditems"))));
            }
        };

        final String operation;

        Action(String operation) {
            this.operation = operation;
        }

        abstract List<ItemFailure> run(Mailbox mailbox, List<MessageRef> messages) throws MailboxException;

        /** Each of the messages, by Message-ID, was acted on exactly once. */
        abstract void assertDone(ExchangeSimulator simulator, List<String> messageIds);
    }

    @TempDir
    Path dir;

    private SendAheadRig rig;
    private ExchangeSimulator simulator;
    /** The seeded messages' Message-IDs as the simulator stores them. */
    private List<String> seeded;

    @BeforeEach
    void start() {
        rig = new SendAheadRig(dir);
        simulator = rig.simulator;
    }

    @AfterEach
    void stop() {
        rig.stop();
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void eachBatchIsSentWhileTheOneBeforeIsAnsweredAndNeverMoreThanThat(Action action) throws Exception {
        List<MessageRef> refs = seed(350); // four batches
        simulator.ewsFault(delayed(action.operation));
        Mailbox mailbox = rig.mailbox(8);

        List<ItemFailure> failures = action.run(mailbox, refs);

        assertEquals(List.of(), failures);
        action.assertDone(simulator, seeded);
        assertEquals(2, simulator.peakConcurrentRequests(MAILBOX));
        assertEquals(4, simulator.ewsRequestCounts().get(action.operation));
        assertEquals(4, rig.count(action.operation, RequestMetrics.SUCCESS));
        assertEquals(0, rig.count(action.operation, RequestMetrics.CANCELLED));
        if (action == Action.MOVE) {
            List<String> operations = simulator.ewsRequests().stream().map(EwsRequestRecord::operation).toList();
            assertEquals(List.of("FindFolder", "CreateFolder"), operations.subList(0, 2),
                    "the target folder is found or made before any batch");
        }
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void withASinglePermitTheBatchesGoOneAfterTheOther(Action action) throws Exception {
        List<MessageRef> refs = seed(250);
        simulator.ewsFault(delayed(action.operation));
        Mailbox mailbox = rig.mailbox(1);

        List<ItemFailure> failures = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> action.run(mailbox, refs));

        assertEquals(List.of(), failures);
        action.assertDone(simulator, seeded);
        assertEquals(1, simulator.peakConcurrentRequests(MAILBOX));
        assertEquals(3, simulator.ewsRequestCounts().get(action.operation));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void aFailedRequestSentAheadIsRetriedInItsTurn(Action action) throws Exception {
        List<MessageRef> refs = seed(250);
        Mailbox mailbox = warmedUp(rig.mailbox(8));
        // the first batch's request, on the connection already open, arrives first and is answered late; the
        // second's, sent ahead meanwhile, gets 503: the server did not run it
        simulator.ewsFault(HttpFault.delay(LATENCY).operation(action.operation))
                .ewsFault(HttpFault.serviceUnavailable(2).operation(action.operation));

        List<ItemFailure> failures = action.run(mailbox, refs);

        assertEquals(List.of(), failures);
        action.assertDone(simulator, seeded);
        assertEquals(2, simulator.peakConcurrentRequests(MAILBOX), "the 503 came while the first was answered");
        assertEquals(List.of(Duration.ofSeconds(2)), rig.waits);
        assertEquals(4, simulator.ewsRequestCounts().get(action.operation), "one more than the batches");
        assertEquals(1, rig.count(action.operation, "HTTP 503"));
        assertEquals(3, rig.count(action.operation, RequestMetrics.SUCCESS));
        assertEquals(0, rig.count(action.operation, RequestMetrics.CANCELLED));
    }

    // A fault cannot pick a batch by arrival: the request sent ahead may well arrive first. So FakeEws, which
    // answers each request by the items it names, throttles the second batch.

    @Test
    void aBackOffTooLongToWaitOutEndsTheActionAndCancelsTheRequestSentAhead() throws Exception {
        List<MessageRef> refs = fakeRefs(350);
        Duration backOff = EwsRetries.MAX_SERVER_BACK_OFF.multipliedBy(2);
        try (FakeEws ews = new FakeEws(rig.meters)) {
            ews.answerEach(request -> itemIds(request).get(0).equals(refs.get(100).id())
                    ? FakeEws.xml(500, EwsClientTest.serverBusy(backOff.toMillis()))
                    : allMarkedRead(request));
            Mailbox mailbox = ews.connector(Duration.ofSeconds(20), 2).connect(MAILBOX, new FakeTokens(true));

            MailboxException e = assertThrows(MailboxException.class, () -> mailbox.markRead(refs));

            assertEquals("ErrorServerBusy", e.code());
            assertEquals(Optional.of(backOff), e.backOff());
            assertEquals(List.of(), ews.waits, "left to the poller");
            assertEquals(1, rig.count("UpdateItem", RequestMetrics.SUCCESS));
            assertEquals(1, rig.count("UpdateItem", RequestMetrics.CANCELLED), "the third batch's, sent ahead");
            assertNotSent(ews, refs.subList(300, 350));
            assertBothPermitsFree(ews, mailbox, refs);
        }
    }

    @Test
    void backOffsOfItemsInTheSecondBatchFailTheRestAndCancelTheRequestSentAhead() throws Exception {
        List<MessageRef> refs = fakeRefs(350);
        try (FakeEws ews = new FakeEws(rig.meters)) {
            ews.answerEach(request -> {
                List<String> ids = itemIds(request);
                if (!ids.get(0).equals(refs.get(100).id())) {
                    return allMarkedRead(request);
                }
                String busy = FakeEws.error("UpdateItem", "ErrorServerBusy", "The server cannot service this "
                        + "request right now. Try again later.", "<m:MessageXml><t:Value "
                        + "Name=\"BackOffMilliseconds\">5000</t:Value></m:MessageXml>");
                return FakeEws.xml(200, FakeEws.response("UpdateItem",
                        FakeEws.success("UpdateItem", "<m:Items/>") + busy.repeat(ids.size() - 1)));
            });
            Mailbox mailbox = ews.connector(Duration.ofSeconds(20), 2).connect(MAILBOX, new FakeTokens(true));

            List<ItemFailure> failures = mailbox.markRead(refs);

            assertEquals(refs.subList(101, 350), failures.stream().map(ItemFailure::message).toList());
            for (ItemFailure failure : failures) {
                assertEquals("ErrorServerBusy", failure.error().code());
                assertEquals(Optional.of(Duration.ofMillis(5000)), failure.error().backOff());
            }
            assertEquals(2, rig.count("UpdateItem", RequestMetrics.SUCCESS));
            assertEquals(1, rig.count("UpdateItem", RequestMetrics.CANCELLED), "the third batch's, sent ahead");
            assertNotSent(ews, refs.subList(300, 350));
            assertBothPermitsFree(ews, mailbox, refs);
        }
    }

    @Test
    void anInterruptEndsTheActionAtOnceAndCancelsTheRequestSentAhead() throws Exception {
        List<MessageRef> refs = seed(250);
        simulator.ewsFault(HttpFault.delay(Duration.ofSeconds(5)).times(2).operation("UpdateItem"));
        Mailbox mailbox = rig.mailbox(2);
        AtomicReference<MailboxException> failure = new AtomicReference<>();
        Thread marking = new Thread(() -> {
            try {
                mailbox.markRead(refs);
            } catch (MailboxException e) {
                failure.set(e);
            }
        });
        marking.start();
        Await.until("the second batch's request is sent ahead", Duration.ofSeconds(4),
                () -> simulator.ewsRequestCounts().getOrDefault("UpdateItem", 0) >= 2);

        marking.interrupt();
        marking.join(2_000);

        assertFalse(marking.isAlive(), "the action ended at once");
        assertEquals("INTERRUPTED", failure.get().code());
        assertEquals(1, rig.count("UpdateItem", RequestMetrics.CANCELLED));
        rig.assertNoAnswerLeftOpen();
        rig.assertBothPermitsFree("UpdateItem", () -> mailbox.markRead(refs),
                () -> Action.MARK_READ.assertDone(simulator, seeded));
    }

    /** As {@link SendAheadRig#assertBothPermitsFree}, against FakeEws: two requests are in flight at once. */
    private void assertBothPermitsFree(FakeEws ews, Mailbox mailbox, List<MessageRef> refs) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ews.answerEach(request -> exchange -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sleep(LATENCY);
            inFlight.decrementAndGet();
            allMarkedRead(request).write(exchange);
        });

        assertEquals(List.of(), assertTimeoutPreemptively(Duration.ofSeconds(30), () -> mailbox.markRead(refs)));
        // at least two: a request given up in the failed run may still arrive late (see SendAheadRig)
        assertTrue(most.get() >= 2, "both permits in use at once");
    }

    private static void assertNotSent(FakeEws ews, List<MessageRef> refs) {
        Set<String> notSent = Set.copyOf(Batches.ids(refs));
        assertTrue(ews.received().stream().flatMap(request -> itemIds(request).stream()).noneMatch(notSent::contains),
                "the last batch was not sent");
    }

    private static FakeEws.Answer allMarkedRead(FakeEws.Received request) {
        return FakeEws.xml(200, FakeEws.response("UpdateItem",
                FakeEws.success("UpdateItem", "<m:Items/>").repeat(itemIds(request).size())));
    }

    private static List<MessageRef> fakeRefs(int count) {
        List<MessageRef> refs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            refs.add(new MessageRef("AAMkD" + i, Optional.empty(), Instant.parse("2024-05-01T00:00:00Z"), 1));
        }
        return refs;
    }

    /** Seeds that many messages, noting their Message-IDs. */
    private List<MessageRef> seed(int count) throws MailboxException {
        List<MessageRef> refs = rig.seed(count);
        seeded = internetMessageIds(simulator.messages(MAILBOX, "inbox"));
        return refs;
    }

    /** The mailbox with a connection open, so that a batch's request arrives before the one sent after it. */
    private Mailbox warmedUp(Mailbox mailbox) throws MailboxException {
        mailbox.checkFolder("inbox");
        simulator.resetCounters();
        return mailbox;
    }

    private static List<String> itemIds(FakeEws.Received request) {
        return request.elements(Namespaces.TYPES, "ItemId").stream().map(id -> id.getAttribute("Id")).toList();
    }

    private static List<String> internetMessageIds(List<SimMessage> messages) {
        return messages.stream().map(SimMessage::internetMessageId).toList();
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }
}
