package dev.exchangemaildaemon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.polling.PollProgress;
import dev.exchangemaildaemon.testing.MutableClock;

/** Liveness means progress: DOWN after three intervals (at least ten minutes) without any, UP again with some. */
class PollerLivenessTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final PollProgress progress = new PollProgress(clock);

    @Test
    void downAfterThreeIntervalsWithoutProgressAndUpAgainWithSome() {
        PollerLiveness liveness = new PollerLiveness(progress, Duration.ofMinutes(60), clock);
        progress.made();

        clock.advance(Duration.ofMinutes(180));
        assertEquals(Status.UP, liveness.call().getStatus(), "three intervals exactly: a poll may just be due");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Status.DOWN, liveness.call().getStatus());
        assertEquals("2026-12-04T10:00:00Z", liveness.call().getData().orElseThrow().get("lastProgress"));

        progress.made();
        assertEquals(Status.UP, liveness.call().getStatus());
    }

    @Test
    void aShortIntervalStillAllowsTenMinutes() {
        PollerLiveness liveness = new PollerLiveness(progress, Duration.ofSeconds(30), clock);
        progress.made();

        clock.advance(Duration.ofMinutes(9));
        assertEquals(Status.UP, liveness.call().getStatus(), "a long message on a slow link moves the clock too");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Status.DOWN, liveness.call().getStatus());
    }

    @Test
    void upBeforePollingStarts() {
        PollerLiveness liveness = new PollerLiveness(progress, Duration.ofMinutes(1), clock);
        clock.advance(Duration.ofDays(1));
        assertEquals(Status.UP, liveness.call().getStatus());
    }
}
