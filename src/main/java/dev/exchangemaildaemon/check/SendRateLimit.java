package dev.exchangemaildaemon.check;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * At most {@code limit} test sends in any window of the given length: a sliding window over the times of the last
 * sends, read from an injected clock.
 */
final class SendRateLimit {

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    SendRateLimit(int limit, Duration window, Clock clock) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs at least one send per positive window");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Takes one send from the allowance; when none is left, how long until one is. */
    synchronized Optional<Duration> tryAcquire() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
            recent.removeFirst();
        }
        if (recent.size() < limit) {
            recent.addLast(now);
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, recent.peekFirst().plus(window)));
    }
}
