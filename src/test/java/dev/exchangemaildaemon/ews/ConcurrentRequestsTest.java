package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** However many mailboxes poll at once, no more EWS requests are in flight than the cap allows. */
class ConcurrentRequestsTest {

    private static final int MAILBOXES = 12;
    /** The longest an answer is held for others to come in flight beside it. */
    private static final Duration HOLD = Duration.ofSeconds(10);
    private static final String FOLDER_FOUND = FakeEws.response("GetFolder", FakeEws.success("GetFolder",
            "<m:Folders><t:Folder><t:FolderId Id=\"AAMkInbox\" ChangeKey=\"AQAA\"/></t:Folder></m:Folders>"));

    @Test
    void theCapHoldsAcrossMailboxes() throws Exception {
        assertEquals(3, mostInFlight(3));
    }

    @Test
    void withoutTheCapMoreRequestsOverlap() throws Exception {
        assertTrue(mostInFlight(MAILBOXES) > 3, "the cap above is what held them back");
    }

    /**
     * The most requests the server saw at once while every mailbox checked its inbox at the same time. Answers are
     * held until as many requests as the cap allows have been in flight together (or every mailbox's has come), so
     * the overlap does not depend on how fast threads start.
     */
    private static int mostInFlight(int cap) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (FakeEws ews = new FakeEws()) {
            for (int i = 0; i < MAILBOXES; i++) {
                ews.answer(exchange -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    arrived.incrementAndGet();
                    long deadline = System.nanoTime() + HOLD.toNanos();
                    while (most.get() < Math.min(cap, MAILBOXES) && arrived.get() < MAILBOXES
                            && System.nanoTime() < deadline) {
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    inFlight.decrementAndGet();
                    FakeEws.xml(200, FOLDER_FOUND).write(exchange);
                });
            }
            EwsConnector connector = ews.connector(Duration.ofSeconds(20), cap);
            ExecutorService pollers = Executors.newFixedThreadPool(MAILBOXES);
            try {
                List<Future<?>> polls = new ArrayList<>();
                for (int i = 0; i < MAILBOXES; i++) {
                    String address = "mailbox" + i + "@example.com";
                    polls.add(pollers.submit(() -> {
                        connector.connect(address, new FakeTokens(true)).checkFolder("inbox");
                        return null;
                    }));
                }
                for (Future<?> poll : polls) {
                    poll.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pollers.shutdownNow();
            }
            assertEquals(MAILBOXES, ews.requests("GetFolder", "success"));
        }
        return most.get();
    }
}
