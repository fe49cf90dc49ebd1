package dev.exchangemaildaemon.ews;

import static dev.exchangemaildaemon.ews.SendAheadRig.MAILBOX;
import static dev.exchangemaildaemon.ews.SendAheadRig.delayed;
import static dev.exchangemaildaemon.ews.SendAheadRig.sleep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.Await;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;

/**
 * A fetch of several GetItem batches sends each batch's request while the batch before is still being read, and
 * keeps every guarantee of a fetch done one batch after the other: order, one message at a time, bounded memory,
 * the cap on requests, and what happens on failures.
 */
class PrefetchingFetchTest {

    /** Over {@link GetItem#MAX_BATCH_BYTES}, so a batch of its own; its answer, over 20 MB, fills any socket buffer. */
    private static final int BIG_BYTES = 16 * 1024 * 1024;
    /** A byte count of a GetItem answer that lies inside the big message, and beyond any small batch's answer. */
    private static final int CUT = 1024 * 1024;

    @TempDir
    Path dir;

    private SendAheadRig rig;
    private ExchangeSimulator simulator;
    /** Each message the consumer took whole, by id, in order; a stream that broke in its hands adds "id broken". */
    private final List<String> handedOver = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> digests = new HashMap<>();

    @BeforeEach
    void start() {
        rig = new SendAheadRig(dir);
        simulator = rig.simulator;
    }

    @AfterEach
    void stop() {
        rig.stop();
    }

    @Test
    void theNextBatchIsRequestedWhileTheCurrentOneIsReadAndNeverMoreThanThat() throws Exception {
        List<MessageRef> refs = rig.seed(450); // five batches
        simulator.ewsFault(delayed("GetItem"));
        Mailbox mailbox = rig.mailbox(8);

        List<ItemFailure> failures = mailbox.fetchMime(refs, this::take);

        assertEquals(List.of(), failures);
        assertEachTakenOnceInOrder(refs);
        assertEquals(2, simulator.peakConcurrentRequests(MAILBOX));
        assertEquals(5, simulator.ewsRequestCounts().get("GetItem"));
        assertEquals(5, rig.count("GetItem", RequestMetrics.SUCCESS));
        assertEquals(0, rig.count("GetItem", RequestMetrics.CANCELLED));
    }

    @Test
    void withASinglePermitTheBatchesGoOneAfterTheOther() throws Exception {
        List<MessageRef> refs = rig.seed(250);
        simulator.ewsFault(delayed("GetItem"));
        Mailbox mailbox = rig.mailbox(1);

        List<ItemFailure> failures = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> mailbox.fetchMime(refs, this::take));

        assertEquals(List.of(), failures);
        assertEachTakenOnceInOrder(refs);
        assertEquals(1, simulator.peakConcurrentRequests(MAILBOX));
        assertEquals(3, simulator.ewsRequestCounts().get("GetItem"));
    }

    @Test
    void theAnswerSentAheadIsNotReadBeforeItsTurn() throws Exception {
        List<MessageRef> refs = rig.seed(List.of(small("first"), big()));
        Mailbox mailbox = rig.mailbox(8);
        AtomicReference<Integer> stillAnswering = new AtomicReference<>();

        mailbox.fetchMime(refs, (message, mime) -> {
            if (message.equals(refs.get(0))) {
                sleep(Duration.ofSeconds(1)); // time enough for a client that buffers to take the whole big answer
                simulator.resetCounters();
                stillAnswering.set(simulator.peakConcurrentRequests(MAILBOX));
            }
            take(message, mime);
        });

        assertEquals(1, stillAnswering.get(), "the big answer is still being written: the client holds it back");
        assertEachTakenOnceInOrder(refs);
    }

    @Test
    void aConsumerFailureCancelsTheRequestSentAheadAndLeaksNothing() throws Exception {
        List<MessageRef> refs = rig.seed(List.of(small("one"), small("two"), small("three"), big()));
        Mailbox mailbox = rig.mailbox(2);
        IOException diskFull = new IOException("No space left on device");

        MailboxException e = assertThrows(MailboxException.class, () -> mailbox.fetchMime(refs, (message, mime) -> {
            if (message.equals(refs.get(1))) {
                throw diskFull;
            }
            take(message, mime);
        }));

        assertEquals(MailboxException.LOCAL_DELIVERY, e.code());
        assertSame(diskFull, e.getCause());
        assertEquals(List.of(refs.get(0).id()), handedOver);
        // sent ahead, then cancelled; whether its bytes reached the server before the cancel is a race
        assertEquals(1, rig.count("GetItem", RequestMetrics.CANCELLED), "the big batch's request had been sent ahead");
        assertTrue(simulator.ewsRequestCounts().get("GetItem") <= 2, "nothing was sent beyond it");
        rig.assertNoAnswerLeftOpen();
        assertBothPermitsFree(mailbox, refs);
    }

    @Test
    void aBatchThatFailsForGoodCancelsTheRequestSentAheadAndLeaksNothing() throws Exception {
        List<MessageRef> refs = rig.seed(List.of(small("one"), small("two"), big(), small("after")));
        simulator.ewsFault(HttpFault.dropConnectionAfter(CUT).times(Integer.MAX_VALUE).operation("GetItem"));
        Mailbox mailbox = rig.mailbox(2);

        MailboxException e = assertThrows(MailboxException.class, () -> mailbox.fetchMime(refs, this::take));

        assertEquals("CONNECTION", e.code());
        String big = refs.get(2).id();
        assertEquals(List.of(refs.get(0).id(), refs.get(1).id(), big + " broken", big + " broken", big + " broken",
                big + " broken", big + " broken"), handedOver);
        assertEquals(EwsRetries.MAX_ATTEMPTS - 1, rig.waits.size());
        assertEquals(1 + EwsRetries.MAX_ATTEMPTS + 1, simulator.ewsRequestCounts().get("GetItem"),
                "the first batch, each attempt at the big one, and the last batch's request sent ahead");
        assertEquals(EwsRetries.MAX_ATTEMPTS, rig.count("GetItem", "CONNECTION"));
        assertEquals(1, rig.count("GetItem", RequestMetrics.CANCELLED));
        simulator.clearFaults();
        rig.assertNoAnswerLeftOpen();
        assertBothPermitsFree(mailbox, refs);
    }

    @Test
    void aConnectionDroppedInTheAnswerSentAheadIsRetriedInItsTurn() throws Exception {
        List<MessageRef> refs = rig.seed(List.of(small("before"), big(), small("after")));
        // hits the first attempt of each batch, in whatever order they arrive (a request sent ahead on a new
        // connection can arrive after the next one sent on a warm connection); only the big answer is long enough
        simulator.ewsFault(HttpFault.dropConnectionAfter(CUT).times(3).operation("GetItem"));
        Mailbox mailbox = rig.mailbox(8);

        List<ItemFailure> failures = mailbox.fetchMime(refs, this::take);

        assertEquals(List.of(), failures);
        String big = refs.get(1).id();
        assertEquals(List.of(refs.get(0).id(), big + " broken", big, refs.get(2).id()), handedOver);
        assertEachTakenOnceInOrder(refs);
        assertEquals(4, simulator.ewsRequestCounts().get("GetItem"), "one more than the batches, as without prefetch");
        assertEquals(1, rig.count("GetItem", "CONNECTION"));
        assertEquals(3, rig.count("GetItem", RequestMetrics.SUCCESS));
        assertEquals(0, rig.count("GetItem", RequestMetrics.CANCELLED));
        assertEquals(1, rig.waits.size());
    }

    @Test
    void anUnavailableServerIsWaitedOutWithARequestSentAhead() throws Exception {
        List<MessageRef> refs = rig.seed(250);
        // the first GetItem to arrive is answered, the second (the one sent ahead, as a rule) gets 503
        simulator.ewsFault(HttpFault.delay(Duration.ZERO).operation("GetItem"))
                .ewsFault(HttpFault.serviceUnavailable(2).operation("GetItem"));
        Mailbox mailbox = rig.mailbox(8);

        List<ItemFailure> failures = mailbox.fetchMime(refs, this::take);

        assertEquals(List.of(), failures);
        assertEachTakenOnceInOrder(refs);
        assertEquals(List.of(Duration.ofSeconds(2)), rig.waits);
        assertEquals(4, simulator.ewsRequestCounts().get("GetItem"));
        assertEquals(1, rig.count("GetItem", "HTTP 503"));
        assertEquals(0, rig.count("GetItem", RequestMetrics.CANCELLED));
    }

    @Test
    void aRetryThatMustWaitForAPermitFirstGivesBackTheOneSentAhead() throws Exception {
        simulator.addMailbox(SimulatorResource.ORDERS);
        List<MessageRef> refs = rig.seed(List.of(big(), small("after")));
        // the big answer breaks; the small one sent ahead is too short to be hit
        simulator.ewsFault(HttpFault.dropConnectionAfter(CUT).times(2).operation("GetItem").mailbox(MAILBOX));
        EwsConnector connector = rig.connector(2);
        Mailbox other = connector.connect(SimulatorResource.ORDERS, rig.tokensFor(SimulatorResource.ORDERS));
        AtomicReference<Exception> otherFailure = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                other.checkFolder("inbox");
            } catch (MailboxException e) {
                otherFailure.set(e);
            }
        });

        List<ItemFailure> failures = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> connector.connect(MAILBOX, rig.tokens).fetchMime(refs, (message, mime) -> {
                    if (!waiting.isAlive() && handedOver.isEmpty()) {
                        // both permits are taken, by the big batch and the one sent ahead: the other mailbox waits
                        waiting.start();
                        sleep(Duration.ofMillis(500));
                    }
                    take(message, mime);
                }));
        waiting.join(10_000);

        assertEquals(List.of(), failures);
        assertEquals(null, otherFailure.get());
        assertEachTakenOnceInOrder(refs);
        assertEquals(1, rig.count("GetItem", RequestMetrics.CANCELLED), "given back before waiting");
        assertEquals(4, simulator.ewsRequestCounts().get("GetItem"), "the small batch sent again after");
    }

    @Test
    void anInterruptEndsTheFetchAtOnceAndCancelsTheRequestSentAhead() throws Exception {
        List<MessageRef> refs = rig.seed(250);
        simulator.ewsFault(HttpFault.delay(Duration.ofSeconds(5)).times(2).operation("GetItem"));
        Mailbox mailbox = rig.mailbox(2);
        AtomicReference<MailboxException> failure = new AtomicReference<>();
        Thread fetch = new Thread(() -> {
            try {
                mailbox.fetchMime(refs, this::take);
            } catch (MailboxException e) {
                failure.set(e);
            }
        });
        fetch.start();
        Await.until("the second GetItem is sent", Duration.ofSeconds(30),
                () -> simulator.ewsRequestCounts().getOrDefault("GetItem", 0) >= 2);

        fetch.interrupt();
        fetch.join(2_000);

        assertFalse(fetch.isAlive(), "the fetch ended at once");
        assertEquals("INTERRUPTED", failure.get().code());
        assertEquals(0, handedOver.size(), "interrupted before the first answer came");
        assertEquals(1, rig.count("GetItem", RequestMetrics.CANCELLED));
        rig.assertNoAnswerLeftOpen();
        assertBothPermitsFree(mailbox, refs);
    }

    /** A fetch that needs both permits of the cap of two gets them: the failed fetch gave all of its own back. */
    private void assertBothPermitsFree(Mailbox mailbox, List<MessageRef> refs) {
        handedOver.clear();
        rig.assertBothPermitsFree("GetItem", () -> mailbox.fetchMime(refs, this::take),
                () -> assertEachTakenOnceInOrder(refs));
    }

    private void assertEachTakenOnceInOrder(List<MessageRef> refs) {
        assertEquals(refs.stream().map(MessageRef::id).toList(),
                handedOver.stream().filter(entry -> !entry.endsWith(" broken")).toList());
        Map<String, byte[]> stored = new HashMap<>();
        for (SimMessage message : simulator.messages(MAILBOX, "inbox")) {
            stored.put(message.id(), sha256(message.mime()));
        }
        for (MessageRef ref : refs) {
            assertArrayEquals(stored.get(ref.id()), digests.get(ref.id()), "byte for byte: " + ref.id());
        }
    }

    /** The consumer: reads the message whole, noting a stream that breaks in its hands. */
    private void take(MessageRef message, InputStream mime) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int read; (read = mime.read(buffer)) != -1;) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            handedOver.add(message.id() + " broken");
            throw e;
        }
        digests.put(message.id(), digest.digest());
        handedOver.add(message.id());
    }

    private static byte[] small(String subject) {
        return TestMessages.plain(MAILBOX, subject);
    }

    private static byte[] big() {
        StringBuilder mime = new StringBuilder("From: Scanner <scanner@contoso.com>\r\nTo: " + MAILBOX
                + "\r\nSubject: A big scan\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n");
        Random random = new Random(3);
        while (mime.length() < BIG_BYTES) {
            mime.append(Long.toHexString(random.nextLong())).append(" line of a big message\r\n");
        }
        return mime.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
