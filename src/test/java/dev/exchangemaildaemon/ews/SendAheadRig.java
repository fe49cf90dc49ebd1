package dev.exchangemaildaemon.ews;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.function.ThrowingSupplier;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The simulator with one mailbox, and EWS connectors to it that record their metrics and their waits between
 * attempts, for the tests of requests sent ahead. Start one per test, and {@link #stop()} it after.
 */
final class SendAheadRig {

    static final String MAILBOX = INVOICES;
    static final Duration LATENCY = Duration.ofMillis(300);

    final ExchangeSimulator simulator;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final AccessTokens tokens;
    private final MailConfig config;

    SendAheadRig(Path dir) {
        simulator = ExchangeSimulator.start(0)
                .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET).addMailbox(MAILBOX);
        config = SimulatorConfig.of(simulator, dir, Map.of());
        tokens = tokensFor(MAILBOX);
    }

    void stop() {
        simulator.stop();
    }

    AccessTokens tokensFor(String mailbox) {
        return new EntraTokens(config, tls(), Clock.systemUTC(), meters).forUser(mailbox, "");
    }

    Mailbox mailbox(int maxConcurrentRequests) {
        return connector(maxConcurrentRequests).connect(MAILBOX, tokens);
    }

    EwsConnector connector(int maxConcurrentRequests) {
        return new EwsConnector(config.endpoints().ews(), Duration.ofSeconds(30), maxConcurrentRequests, tls(),
                EwsRetries.policy(EwsRetries.MAX_ATTEMPTS, new Random(7)), waits::add, meters);
    }

    /** Delivers that many plain messages to the inbox; returns them as the poller finds them. */
    List<MessageRef> seed(int count) throws MailboxException {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(TestMessages.plain(MAILBOX, "message " + i));
        }
        return seed(messages);
    }

    /** Delivers the messages to the inbox, in order; returns them as the poller finds them. */
    List<MessageRef> seed(List<byte[]> messages) throws MailboxException {
        for (byte[] message : messages) {
            simulator.deliver(MAILBOX, "inbox", message, false);
        }
        List<MessageRef> refs = mailbox(8).findUnread("inbox");
        assertEquals(messages.size(), refs.size());
        simulator.resetCounters();
        return refs;
    }

    double count(String operation, String outcome) {
        Counter counter = meters.find("exchange_mail_requests")
                .tags("api", "ews", "operation", operation, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Each request of that operation to the mailbox is answered late, so that the next is sent meanwhile. */
    static HttpFault delayed(String operation) {
        return HttpFault.delay(LATENCY).times(Integer.MAX_VALUE).operation(operation).mailbox(MAILBOX);
    }

    /**
     * Runs the operation again with its requests answered late, and sees it get both permits of the cap of two: the
     * failed run before gave all of its own back.
     */
    void assertBothPermitsFree(String operation, ThrowingSupplier<List<ItemFailure>> run, Runnable assertDone) {
        simulator.clearFaults();
        simulator.resetCounters();
        simulator.ewsFault(delayed(operation));

        assertEquals(List.of(), assertTimeoutPreemptively(Duration.ofSeconds(30), run));
        assertDone.run();
        // At least two: a request the failed run sent ahead and gave up may still reach the simulator late (its
        // bytes were on their way when it was cancelled) and be counted beside this run's two; the cap of two
        // itself is ConcurrentRequestsTest's.
        assertTrue(simulator.peakConcurrentRequests(MAILBOX) >= 2, "both permits in use at once");
    }

    /** The server is answering nothing for the mailbox: a request given up had its connection closed. */
    void assertNoAnswerLeftOpen() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            simulator.resetCounters();
            if (simulator.peakConcurrentRequests(MAILBOX) == 0) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("an answer is still being written: the request given up was left open");
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SSLContext tls() {
        return TrustedTls.create(config.exchange().trustStore());
    }
}
