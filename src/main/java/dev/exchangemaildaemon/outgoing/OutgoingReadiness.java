package dev.exchangemaildaemon.outgoing;

import java.nio.file.Files;
import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.exchangemaildaemon.config.MailConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;

/**
 * One readiness check per outgoing channel in use, {@code outgoing smtp} and {@code outgoing pickup}: DOWN while the
 * port is closed or the directory cannot be read, or when the last message could not be handed to Exchange for a
 * reason that is not the message's own (throttled, unreachable, token refused), or was sent and could not be
 * recorded (state directory full or read-only). From recorded outcomes only; a probe never calls Exchange.
 */
@ApplicationScoped
public class OutgoingReadiness {

    private final MailConfig config;
    private final OutgoingStatus status;
    private final SmtpSubmission smtp;

    OutgoingReadiness(MailConfig config, OutgoingStatus status, SmtpSubmission smtp) {
        this.config = config;
        this.status = status;
        this.smtp = smtp;
    }

    void register(@Observes @Priority(200) StartupEvent event, @Readiness HealthRegistry readiness) {
        if (config.outgoing().smtp().enabled()) {
            readiness.register("outgoing smtp", () -> check(OutgoingChannel.SMTP, smtp.listening()));
        }
        config.outgoing().pickup().ifPresent(dir -> readiness.register("outgoing pickup",
                () -> check(OutgoingChannel.PICKUP, Files.isDirectory(dir.resolve("new"))
                        && Files.isWritable(dir.resolve("new")))));
    }

    HealthCheckResponse check(OutgoingChannel channel, boolean open) {
        OutgoingStatus.Snapshot snapshot = status.snapshot(channel);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outgoing " + channel.label())
                .status(open && !snapshot.lastAttemptFailed())
                .withData("open", open)
                .withData("sent", snapshot.sent())
                .withData("refused", snapshot.refused())
                .withData("queued", snapshot.queued())
                .withData("lastSent", snapshot.lastSent().map(Instant::toString).orElse("never"));
        snapshot.lastError().ifPresent(error -> response.withData("lastError", error));
        return response.build();
    }
}
