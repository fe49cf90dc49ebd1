package dev.exchangemaildaemon.simulator.graph;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.exchangemaildaemon.simulator.EwsAnswer;

/**
 * Graph operations throttled for their next requests, whether each comes alone or inside a {@code $batch}: Graph
 * evaluates every request of a batch against its throttling limits on its own, and answers one that is throttled
 * with a 429 and its own {@code Retry-After} among the batch's responses, the batch itself answered 200 (Microsoft's
 * throttling guide and its JSON batching page). The error body is Graph's {@code TooManyRequests}, as the throttling
 * guide's sample shows it.
 */
public final class ThrottledRequests {

    private record Throttle(String operation, AtomicInteger remaining, Optional<String> retryAfter) {
    }

    private final List<Throttle> throttles = new CopyOnWriteArrayList<>();

    /**
     * Throttles the next {@code requests} requests of that operation (such as {@code updateMessage}); Retry-After as
     * given, such as Graph's own {@code 2.128}, none when empty.
     */
    public void add(String operation, int requests, Optional<String> retryAfter) {
        if (requests < 1) {
            throw new IllegalArgumentException("a throttle must hit at least one request: " + requests);
        }
        throttles.add(new Throttle(operation, new AtomicInteger(requests), retryAfter));
    }

    public void clear() {
        throttles.clear();
    }

    /** Graph's 429 if a throttle hits this request of that operation, using up one of its requests. */
    Optional<EwsAnswer> claim(String operation, Clock clock) {
        for (Throttle throttle : throttles) {
            if (throttle.operation().equalsIgnoreCase(operation)
                    && throttle.remaining().getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                EwsAnswer error = GraphAnswers.error(GraphError.tooManyRequests(), clock);
                Map<String, String> headers = new LinkedHashMap<>(error.headers());
                throttle.retryAfter().ifPresent(value -> headers.put("Retry-After", value));
                return Optional.of(new EwsAnswer(429, headers, error.body()));
            }
        }
        return Optional.empty();
    }
}
