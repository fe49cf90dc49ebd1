package dev.exchangemaildaemon.polling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus metrics of the polls, labelled by configured mailbox only (a bounded set): polls by outcome,
 * messages and bytes delivered, poll duration, the time of the last successful poll, and messages set aside.
 */
@ApplicationScoped
class PollMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Gauge> lastSuccessGauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> setAside = new ConcurrentHashMap<>();
    private final Map<String, Gauge> setAsideGauges = new ConcurrentHashMap<>();

    private final AtomicLong lateness = new AtomicLong();
    private final Gauge latenessGauge;

    PollMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latenessGauge = Gauge.builder("mail_poll_lateness_seconds", lateness, AtomicLong::get)
                .description("How long the most overdue mailbox has waited for a free poll worker, after its first poll")
                .register(registry);
    }

    void lateness(Duration mostLate) {
        lateness.set(mostLate.toSeconds());
    }

    void succeeded(String mailbox, PollOutcome outcome, Duration took, Instant at) {
        registry.counter("mail_polls", "mailbox", mailbox, "outcome", "success").increment();
        registry.counter("mail_messages_delivered", "mailbox", mailbox).increment(outcome.delivered());
        registry.counter("mail_bytes_delivered", "mailbox", mailbox).increment(outcome.bytes());
        Timer.builder("mail_poll").tag("mailbox", mailbox).register(registry).record(took);
        lastSuccess.computeIfAbsent(mailbox, key -> {
            AtomicLong seconds = new AtomicLong();
            lastSuccessGauges.put(mailbox,
                    Gauge.builder("mail_last_success_timestamp_seconds", seconds, AtomicLong::get)
                            .tag("mailbox", mailbox).description("Unix time of the last successful poll")
                            .register(registry));
            return seconds;
        }).set(at.getEpochSecond());
    }

    /** How many of the mailbox's messages are set aside now, their fetch having failed again and again. */
    void setAside(String mailbox, int messages) {
        setAside.computeIfAbsent(mailbox, key -> {
            AtomicLong count = new AtomicLong();
            setAsideGauges.put(mailbox, Gauge.builder("mail_messages_set_aside", count, AtomicLong::get)
                    .tag("mailbox", mailbox).description("Messages set aside (left unread) after repeated failures")
                    .register(registry));
            return count;
        }).set(messages);
    }

    /**
     * A gauge only weakly holds the value it reads, and a registry that outlives this bean (Micrometer's global
     * registry, shared by the applications a test JVM starts one after another) would otherwise keep answering
     * with a gauge bound to a value that is gone: the next application's gauge would then be silently missing.
     */
    @PreDestroy
    void removeGauges() {
        registry.remove(latenessGauge);
        lastSuccessGauges.values().forEach(registry::remove);
        setAsideGauges.values().forEach(registry::remove);
    }

    void failed(String mailbox, Duration took) {
        registry.counter("mail_polls", "mailbox", mailbox, "outcome", "failure").increment();
        Timer.builder("mail_poll").tag("mailbox", mailbox).register(registry).record(took);
    }
}
