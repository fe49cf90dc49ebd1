package dev.exchangemaildaemon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.polling.MailboxStatus;
import dev.exchangemaildaemon.testing.MutableClock;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A mailbox with messages set aside stays ready, and its health data names them. */
class MailboxReadinessTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void messagesSetAsideAreNamedAndTheMailboxStaysReady() {
        MailboxReadiness readiness = new MailboxReadiness(null, config(), new MutableClock(NOW));
        MailboxStatus status = new MailboxStatus("a@contoso.com", List.of(), Optional.of(NOW), Optional.of(NOW),
                Optional.empty(), 7, 0, List.of("<one@test.example>", "<two@test.example>"));

        HealthCheckResponse response = readiness.check(status);

        assertEquals(Status.UP, response.getStatus());
        assertEquals("<one@test.example>, <two@test.example>", response.getData().orElseThrow().get("setAside"));
    }

    @Test
    void noneSetAsideNoData() {
        MailboxStatus status = new MailboxStatus("a@contoso.com", List.of(), Optional.of(NOW), Optional.of(NOW),
                Optional.empty(), 7, 0, List.of());

        HealthCheckResponse response = new MailboxReadiness(null, config(), new MutableClock(NOW)).check(status);

        assertFalse(response.getData().orElseThrow().containsKey("setAside"));
    }

    private static MailConfig config() {
        return new SmallRyeConfigBuilder().withMapping(MailConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("mail.incoming.mailboxes[0].address", "a@contoso.com"),
                        "test", 100))
                .build().getConfigMapping(MailConfig.class);
    }
}
