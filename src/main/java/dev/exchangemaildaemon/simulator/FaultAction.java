package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

/** What an injected fault does to a request it hits: answer in its stead, or spoil or delay the real answer. */
@FunctionalInterface
interface FaultAction {

    /**
     * Answers the exchange.
     *
     * @param normal the answer the simulator gives without the fault, computed (and the operation run) on demand
     */
    void answer(HttpExchange exchange, Supplier<EwsAnswer> normal) throws IOException;

    /** Answers with that instead of running the operation. */
    static FaultAction replaceWith(EwsAnswer answer) {
        return (exchange, normal) -> answer.send(exchange);
    }

    /** HTTP status with an empty body and those headers, such as 503 with {@code Retry-After}. */
    static FaultAction status(int status, Map<String, String> headers) {
        return replaceWith(EwsAnswer.empty(status, headers));
    }

    /** Waits, then answers normally: a slow server, for timeouts. */
    static FaultAction delay(Duration delay) {
        return (exchange, normal) -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while delaying the answer", e);
            }
            normal.get().send(exchange);
        };
    }

    /**
     * Sends the normal answer's headers, with its full Content-Length, and the first {@code bytes} of its body,
     * then closes the connection: the client sees the connection fail mid-body.
     */
    static FaultAction dropConnectionAfter(int bytes) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            answer.sendPrefix(exchange, answer.body().length, bytes);
            exchange.close();
        };
    }

    /**
     * Sends only the first {@code bytes} of the normal answer's body, with a Content-Length to match: a complete
     * HTTP response holding an incomplete XML document.
     */
    static FaultAction truncateAfter(int bytes) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            int length = Math.min(bytes, answer.body().length);
            answer.sendPrefix(exchange, length, length);
        };
    }
}
