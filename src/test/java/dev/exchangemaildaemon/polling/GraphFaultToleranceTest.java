package dev.exchangemaildaemon.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.simulator.HttpFault;

/** The fault contract over Microsoft Graph, plus what only Graph has: 429 ApplicationThrottled with Retry-After. */
class GraphFaultToleranceTest extends FaultToleranceContract {

    @Override
    String api() {
        return "graph";
    }

    @Override
    MailboxConnector connector(MailConfig config, SSLContext tls) {
        return new GraphConnector(config, tls, meters);
    }

    @Override
    void inject(HttpFault fault, Step step) {
        simulator.graphFault(fault.operation(route(step)));
    }

    @Override
    int serverRequests(Step step) {
        return simulator.graphRequestCounts().getOrDefault(route(step), 0);
    }

    @Override
    double clientRequests(Step step, String outcome) {
        String operation = switch (step) {
            case LIST -> "findUnread";
            case FETCH -> "fetchMime";
            case MARK_READ -> "markRead";
            case MOVE -> "move";
        };
        return count("exchange_mail_requests", "api", "graph", "operation", operation, "outcome", outcome);
    }

    /** The simulator's name for the Graph route of the step's request. */
    private static String route(Step step) {
        return switch (step) {
            case LIST -> "listMessages";
            case FETCH -> "getMime";
            case MARK_READ, MOVE -> "$batch";
        };
    }

    /** Graph fetches each message with a request of its own: 200 bytes into any of them is inside it. */
    @Override
    int cutInsideAMessage() {
        return 200;
    }

    /**
     * Graph's client asks again only when no answer came (or a refusal); an answer that breaks off fails the poll,
     * and a $batch, which may have been carried out, is never sent twice.
     */
    @Override
    boolean retriesABrokenAnswer() {
        return false;
    }

    @Test
    void throttlingForTheMailboxConcurrencyLimitIsWaitedOutForRetryAfter() throws Exception {
        simulator.throttleGraph(MAILBOX, 2, 2);

        Duration took = pollUntilDone(AfterDelivery.MARK_READ);

        assertEquals(List.of(), pollFailures);
        assertEachDeliveredOnceAndRead();
        assertEquals(3, serverRequests(Step.LIST));
        assertEquals(2, clientRequests(Step.LIST, "ApplicationThrottled"));
        assertWaited(4, took, "2 s twice, as asked, not 1.5 s in all as without Retry-After");
    }
}
