package dev.exchangemaildaemon.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.polling.PollProgress;
import dev.exchangemaildaemon.polling.Poller;

/**
 * Liveness means progress: {@code poller} is DOWN when no poll has ended (with any outcome) and no byte of a message
 * has arrived for {@link #INTERVALS} poll intervals, and at least {@link #AT_LEAST}, so that systemd or Kubernetes
 * restarts a daemon whose polls hang. Every mailbox is due at least once an interval and every wait is bounded, so
 * a working poller never goes that long; a failing Exchange is no reason for a restart, and keeps it UP (its
 * polls end, with errors, which readiness shows).
 */
@Liveness
@ApplicationScoped
public class PollerLiveness implements HealthCheck {

    static final int INTERVALS = 3;
    static final Duration AT_LEAST = Duration.ofMinutes(10);

    private final PollProgress progress;
    private final Duration stuckAfter;
    private final Clock clock;

    @Inject
    PollerLiveness(Poller poller, MailConfig config, Clock clock) {
        this(poller.progress(), config.incoming().pollInterval(), clock);
    }

    public PollerLiveness(PollProgress progress, Duration pollInterval, Clock clock) {
        this.progress = progress;
        Duration intervals = pollInterval.multipliedBy(INTERVALS);
        this.stuckAfter = intervals.compareTo(AT_LEAST) > 0 ? intervals : AT_LEAST;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<Instant> last = progress.last();
        boolean stuck = last.map(at -> Duration.between(at, clock.instant()).compareTo(stuckAfter) > 0).orElse(false);
        var response = HealthCheckResponse.named("poller").status(!stuck)
                .withData("lastProgress", last.map(Instant::toString).orElse("not started"))
                .withData("downAfter", stuckAfter.toString());
        return response.build();
    }
}
