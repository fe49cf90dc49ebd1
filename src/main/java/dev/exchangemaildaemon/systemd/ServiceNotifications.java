package dev.exchangemaildaemon.systemd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.exchangemaildaemon.health.PollerLiveness;
import dev.exchangemaildaemon.polling.MailboxStatus;
import dev.exchangemaildaemon.polling.Poller;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The daemon as a {@code Type=notify} service: {@code READY=1} once the configuration has been accepted and the
 * poller has started (an invalid configuration stops the start before, so {@code systemctl start} fails at once);
 * {@code WATCHDOG=1} at half of {@code WatchdogSec=} for as long as the poller makes progress (its liveness check),
 * so that systemd restarts a wedged poller; {@code STATUS=} with the last polls' summary, which
 * {@code systemctl status} shows. Nothing happens outside systemd, or in the admin commands (no scheduler).
 */
@ApplicationScoped
class ServiceNotifications {

    /** How often STATUS= is refreshed when no watchdog asks for more. */
    static final Duration STATUS_PERIOD = Duration.ofSeconds(30);

    private final Optional<SystemdNotify> notify;
    private final Optional<Duration> watchdog;
    private final Supplier<List<MailboxStatus>> statuses;
    private final HealthCheck liveness;
    private final Clock clock;
    private Instant nextMessage = Instant.MIN;
    private volatile boolean ready;

    @Inject
    ServiceNotifications(Poller poller, @Liveness PollerLiveness liveness, Clock clock,
            @ConfigProperty(name = "quarkus.scheduler.enabled", defaultValue = "true") boolean daemon) {
        this(daemon ? SystemdNotify.fromEnvironment(System.getenv()) : Optional.empty(), watchdog(System.getenv()),
                poller::statuses, liveness, clock);
    }

    ServiceNotifications(Optional<SystemdNotify> notify, Optional<Duration> watchdog,
            Supplier<List<MailboxStatus>> statuses, HealthCheck liveness, Clock clock) {
        this.notify = notify;
        this.watchdog = watchdog;
        this.statuses = statuses;
        this.liveness = liveness;
        this.clock = clock;
    }

    /** After the poller's own start (priority 100), which fails the startup when it cannot run. */
    void ready(@Observes @Priority(4000) StartupEvent event) {
        notify.ifPresent(systemd -> systemd.send(List.of("READY=1", "STATUS=" + PollSummary.of(statuses.get()))));
        ready = true;
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledTick() {
        tick();
    }

    /** Sends STATUS=, and WATCHDOG=1 if the poller is alive, when the next message is due. */
    synchronized void tick() {
        if (notify.isEmpty() || !ready) {
            return; // the scheduler may tick before READY=1 was sent
        }
        Instant now = clock.instant();
        if (now.isBefore(nextMessage)) {
            return;
        }
        Duration period = watchdog.map(timeout -> timeout.dividedBy(2))
                .filter(half -> half.compareTo(STATUS_PERIOD) < 0).orElse(STATUS_PERIOD);
        nextMessage = now.plus(period);
        List<String> message = new ArrayList<>();
        if (liveness.call().getStatus() == HealthCheckResponse.Status.UP) {
            message.add("WATCHDOG=1");
            message.add("STATUS=" + PollSummary.of(statuses.get()));
        } else {
            // not fed: systemd restarts the service once WatchdogSec= has passed
            message.add("STATUS=The poller makes no progress; waiting for the watchdog to restart it");
        }
        notify.get().send(message);
    }

    void stopping(@Observes ShutdownEvent event) {
        notify.ifPresent(systemd -> systemd.send(List.of("STOPPING=1")));
    }

    /** WatchdogSec= as systemd passes it, if meant for this process. */
    static Optional<Duration> watchdog(Map<String, String> environment) {
        String pid = environment.get("WATCHDOG_PID");
        if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(environment.get("WATCHDOG_USEC")).map(Long::parseLong).filter(usec -> usec > 0)
                    .map(usec -> Duration.ofNanos(usec * 1000));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
