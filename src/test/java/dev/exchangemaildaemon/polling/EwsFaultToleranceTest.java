package dev.exchangemaildaemon.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.simulator.HttpFault;

/** The fault contract over EWS, plus what only EWS has: ErrorServerBusy's back-off, and MIME inside XML. */
class EwsFaultToleranceTest extends FaultToleranceContract {

    @Override
    String api() {
        return "ews";
    }

    @Override
    MailboxConnector connector(MailConfig config, SSLContext tls) {
        return new EwsConnector(config, tls, meters);
    }

    @Override
    void inject(HttpFault fault, Step step) {
        simulator.ewsFault(fault.operation(operation(step)));
    }

    @Override
    int serverRequests(Step step) {
        return simulator.ewsRequestCounts().getOrDefault(operation(step), 0);
    }

    @Override
    double clientRequests(Step step, String outcome) {
        return count("exchange_mail_requests", "api", "ews", "operation", operation(step), "outcome", outcome);
    }

    private static String operation(Step step) {
        return switch (step) {
            case LIST -> "FindItem";
            case FETCH -> "GetItem";
            case MARK_READ -> "UpdateItem";
            case MOVE -> "MoveItem";
        };
    }

    /** Inside the big message's MimeContent in the one GetItem answer that holds every message. */
    @Override
    int cutInsideAMessage() {
        int cut = 20_000 + seeded.subList(0, seeded.size() - 2).stream()
                .mapToInt(mime -> Base64.getMimeEncoder().encodeToString(mime).length() + 2_000).sum();
        assertTrue(cut < BIG_BYTES, "the cut falls inside the big message");
        return cut;
    }

    /** Every EWS request the daemon sends is safe to repeat, so each broken answer is asked for again at once. */
    @Override
    boolean retriesABrokenAnswer() {
        return true;
    }

    @Test
    void throttlingIsWaitedOutForTheBackOffTheServerAsked() throws Exception {
        simulator.throttle(MAILBOX, 3, 700);

        Duration took = pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(Map.of("FindItem", 4, "GetItem", 1, "UpdateItem", 1), simulator.ewsRequestCounts());
        assertEquals(3, count("exchange_mail_request_retries", "api", "ews", "operation", "FindItem",
                "reason", "ErrorServerBusy"));
        assertWaited(2.1, took, "700 ms each time, as asked");
    }

    /** Base64 inside XML shows a cut even with a Content-Length to match; Graph's bare MIME ($value) cannot. */
    @Test
    void aGetItemAnswerTruncatedInsideAMessageIsAskedForAgain() throws Exception {
        inject(HttpFault.truncateAfter(cutInsideAMessage()), Step.FETCH);

        pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertOneMessageBrokeAndWasHandedOverAgainAlone();
        assertEquals(2, serverRequests(Step.FETCH));
        assertEquals(1, count("exchange_mail_request_retries", "api", "ews", "operation", "GetItem",
                "reason", "BAD_RESPONSE"));
    }
}
