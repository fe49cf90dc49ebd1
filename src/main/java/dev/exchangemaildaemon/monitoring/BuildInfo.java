package dev.exchangemaildaemon.monitoring;

import java.util.Locale;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.exchangemaildaemon.cli.BuildVersion;
import dev.exchangemaildaemon.config.MailConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code exchange_mail_build_info{version, api} 1}: which build runs and which Exchange API it speaks, the Prometheus
 * way, so that a dashboard can show it and a query can join it to the other series.
 */
@ApplicationScoped
class BuildInfo {

    private final MeterRegistry registry;
    private final MailConfig config;
    private Gauge gauge;

    BuildInfo(MeterRegistry registry, MailConfig config) {
        this.registry = registry;
        this.config = config;
    }

    void register(@Observes StartupEvent event) {
        gauge = Gauge.builder("exchange_mail_build_info", () -> 1)
                .description("The running build: always 1, the facts are the labels")
                .tag("version", BuildVersion.version())
                .tag("api", config.exchange().api().name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    /** The registry may outlive this application (tests start several in one JVM); see PollMetrics. */
    @PreDestroy
    void remove() {
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
