package dev.exchangemaildaemon.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.polling.MailboxStatus;
import dev.exchangemaildaemon.polling.Poller;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;

/**
 * One readiness check per enabled mailbox, named {@code mailbox ADDRESS}: UP once a poll has succeeded and
 * while the last success is at most two intervals old; its data names the messages set aside (see
 * {@code SetAside}), which leave it UP. Built from the recorded poll status only; a probe never calls Exchange.
 */
@ApplicationScoped
public class MailboxReadiness {

    private final Poller poller;
    private final MailConfig config;
    private final Clock clock;

    MailboxReadiness(Poller poller, MailConfig config, Clock clock) {
        this.poller = poller;
        this.config = config;
        this.clock = clock;
    }

    void register(@Observes @Priority(200) StartupEvent event, @Readiness HealthRegistry readiness) {
        for (MailboxStatus status : poller.statuses()) {
            String address = status.address();
            readiness.register("mailbox " + address,
                    () -> check(poller.status(address).orElseThrow()));
        }
    }

    HealthCheckResponse check(MailboxStatus status) {
        Duration interval = config.incoming().pollInterval();
        Instant now = clock.instant();
        boolean fresh = status.lastSuccess()
                .map(success -> !success.plus(interval.multipliedBy(2)).isBefore(now))
                .orElse(false);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mailbox " + status.address())
                .status(fresh)
                .withData("address", status.address())
                .withData("types", String.join(",", status.types()))
                .withData("delivered", status.delivered())
                .withData("consecutiveFailures", status.consecutiveFailures())
                .withData("lastSuccess", status.lastSuccess().map(Instant::toString).orElse("never"));
        status.lastAttempt().ifPresent(at -> response.withData("lastAttempt", at.toString()));
        status.lastError().ifPresent(error -> response.withData("lastError", error));
        if (!status.setAside().isEmpty()) {
            response.withData("setAside", String.join(", ", status.setAside()));
        }
        return response.build();
    }
}
