package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Faults whose request gets no answer in time, for tests of what a client does when it cannot know whether the
 * server carried a request out: carried out at once with the answer held back (a large message on a slow link,
 * accepted by Exchange after the client gave up), or never carried out at all.
 */
final class LostAnswers {

    private LostAnswers() {
    }

    /** Runs the operation at once, then holds its answer until the test lets it go (at most {@code longest}). */
    static FaultAction runThenHold(CountDownLatch release, Duration longest) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            await(release, longest);
            answer.send(exchange);
        };
    }

    /** Runs the operation, then answers with that failure instead of its own answer: a 5xx after the work was done. */
    static FaultAction runThenFail(EwsAnswer failure) {
        return (exchange, normal) -> {
            normal.get();
            failure.send(exchange);
        };
    }

    /** Holds the request until the test lets it go (at most {@code longest}), then closes it unrun, unanswered. */
    static FaultAction holdUnrun(CountDownLatch release, Duration longest) {
        return (exchange, normal) -> {
            await(release, longest);
            exchange.close();
        };
    }

    private static void await(CountDownLatch release, Duration longest) throws IOException {
        try {
            release.await(longest.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while holding the request", e);
        }
    }
}
