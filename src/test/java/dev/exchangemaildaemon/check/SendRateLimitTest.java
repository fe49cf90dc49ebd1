package dev.exchangemaildaemon.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The test send's allowance: so many sends in any window, and how long a refused one must wait. */
class SendRateLimitTest {

    /** A clock that moves only when told to. */
    private static final class SteppedClock extends Clock {
        private Instant now = Instant.parse("2026-12-04T10:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theSendOverTheLimitWaitsUntilTheOldestLeavesTheWindow() {
        SteppedClock clock = new SteppedClock();
        SendRateLimit limit = new SendRateLimit(3, Duration.ofMinutes(1), clock);
        assertEquals(Optional.empty(), limit.tryAcquire());
        clock.advance(Duration.ofSeconds(20));
        assertEquals(Optional.empty(), limit.tryAcquire());
        assertEquals(Optional.empty(), limit.tryAcquire());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Optional.of(Duration.ofSeconds(30)), limit.tryAcquire(), "the first send leaves at 60 s");
        assertEquals(Optional.of(Duration.ofSeconds(30)), limit.tryAcquire(), "a refused send takes nothing");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), limit.tryAcquire(), "60 s after the first send");
        assertEquals(Optional.of(Duration.ofSeconds(20)), limit.tryAcquire(), "the two at 20 s are still in");
    }
}
