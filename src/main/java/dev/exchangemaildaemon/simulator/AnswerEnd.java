package dev.exchangemaildaemon.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;

/**
 * What the end of a request means to the simulator (a mailbox's count of requests being answered), run just before
 * the client can have the whole answer: before the last byte of its body, or before the headers of an answer without
 * one. Run after the answer instead, a client that sends its next request the moment it has an answer could find the
 * last one still counted, and a test counting requests at once would see two where the client never had two.
 */
public final class AnswerEnd {

    // keyed by the exchange itself (HttpExchange keeps identity equality); not its attributes, which some JDKs
    // store per context rather than per exchange
    private static final Map<HttpExchange, Runnable> PENDING = new ConcurrentHashMap<>();

    private AnswerEnd() {
    }

    /** What to run when the exchange's answer is about to be complete. */
    public static void register(HttpExchange exchange, Runnable end) {
        PENDING.put(exchange, end);
    }

    /**
     * Runs the exchange's end unless it has run: where an answer is about to be complete, and in a {@code finally}
     * for the answers that never are (a fault that cuts one short, a request given up).
     */
    public static void now(HttpExchange exchange) {
        Runnable end = PENDING.remove(exchange);
        if (end != null) {
            end.run();
        }
    }
}
