package dev.exchangemaildaemon.polling;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.delivery.MaildirBacklog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus metrics of the polls, labelled by configured mailbox only (a bounded set): polls by outcome and
 * failure reason, messages and bytes delivered, the poll duration histogram, the time of the last successful poll,
 * messages set aside, and the messages waiting in each Maildir's {@code new/}. Every mailbox's series exist from
 * startup on (the last success at 0 until there is one), so that an alert on a mailbox that never worked needs no
 * {@code absent()}.
 */
@ApplicationScoped
class PollMetrics {

    /** The {@code reason} of a successful poll: none. */
    static final String NO_REASON = "";

    private static final Duration[] BUCKETS = { Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5),
            Duration.ofMinutes(15) };

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> setAside = new ConcurrentHashMap<>();
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private final AtomicLong lateness = new AtomicLong();

    PollMetrics(MeterRegistry registry, MailConfig config) {
        this.registry = registry;
        gauges.add(Gauge.builder("exchange_mail_poll_lateness_seconds", lateness, AtomicLong::get)
                .description("How long the most overdue mailbox has waited for a free poll worker, after its first"
                        + " poll")
                .register(registry));
        // so that an alert's "older than three intervals" follows the configuration
        gauges.add(Gauge.builder("exchange_mail_poll_interval_seconds", config.incoming().pollInterval(),
                        Duration::toSeconds)
                .description("mail.incoming.poll-interval: how often each mailbox is polled").register(registry));
    }

    /**
     * Creates the mailbox's series, at zero: before its first poll, as for one that never succeeds.
     *
     * @param maildirs the Maildir of each of its folders that delivers into one, by the folder's configured name
     */
    void watch(String mailbox, Map<String, Path> maildirs) {
        AtomicLong seconds = lastSuccess.computeIfAbsent(mailbox, key -> new AtomicLong());
        gauges.add(Gauge.builder("exchange_mail_last_success_timestamp_seconds", seconds, AtomicLong::get)
                .tag("mailbox", mailbox).description("Unix time of the last successful poll, 0 if none yet")
                .register(registry));
        AtomicLong count = setAside.computeIfAbsent(mailbox, key -> new AtomicLong());
        gauges.add(Gauge.builder("exchange_mail_messages_set_aside", count, AtomicLong::get)
                .tag("mailbox", mailbox).description("Messages set aside (left unread) after repeated failures")
                .register(registry));
        // NaN when new/ cannot be read: an unknown depth, not an empty one
        maildirs.forEach((folder, maildir) -> gauges.add(Gauge.builder("exchange_mail_maildir_new_messages", maildir,
                        dir -> MaildirBacklog.waiting(dir).stream().asDoubleStream().findFirst().orElse(Double.NaN))
                .tags("mailbox", mailbox, "folder", folder).strongReference(true) // nothing else holds the path
                .description("Messages in the Maildir's new/, not yet taken by the software reading it")
                .register(registry)));
        polls(mailbox, "success", NO_REASON);
        registry.counter("exchange_mail_messages_delivered", "mailbox", mailbox);
        deliveredBytes(mailbox);
    }

    void lateness(Duration mostLate) {
        lateness.set(mostLate.toSeconds());
    }

    void succeeded(String mailbox, PollOutcome outcome, Duration took, Instant at) {
        polls(mailbox, "success", NO_REASON).increment();
        registry.counter("exchange_mail_messages_delivered", "mailbox", mailbox).increment(outcome.delivered());
        deliveredBytes(mailbox).increment(outcome.bytes());
        duration(mailbox).record(took);
        lastSuccess.computeIfAbsent(mailbox, key -> new AtomicLong()).set(at.getEpochSecond());
    }

    /** @param reason the failure's code (an EWS response code, {@code HTTP 503}, {@code LOCAL_DELIVERY} ...) */
    void failed(String mailbox, String reason, Duration took) {
        polls(mailbox, "failure", reason).increment();
        duration(mailbox).record(took);
    }

    /** How many of the mailbox's messages are set aside now, their fetch having failed again and again. */
    void setAside(String mailbox, int messages) {
        setAside.computeIfAbsent(mailbox, key -> new AtomicLong()).set(messages);
    }

    private Counter polls(String mailbox, String outcome, String reason) {
        return Counter.builder("exchange_mail_polls")
                .description("Polls by outcome; reason is the failure's code")
                .tags("mailbox", mailbox, "outcome", outcome, "reason", reason).register(registry);
    }

    private Counter deliveredBytes(String mailbox) {
        return Counter.builder("exchange_mail_delivered").baseUnit("bytes")
                .description("Bytes of MIME delivered into the Maildir").tag("mailbox", mailbox).register(registry);
    }

    private Timer duration(String mailbox) {
        return Timer.builder("exchange_mail_poll_duration").description("Duration of polls, whatever their outcome")
                .tag("mailbox", mailbox).serviceLevelObjectives(BUCKETS).register(registry);
    }

    /**
     * A gauge only weakly holds the value it reads, and a registry that outlives this bean (Micrometer's global
     * registry, shared by the applications a test JVM starts one after another) would otherwise keep answering
     * with a gauge bound to a value that is gone: the next application's gauge would then be silently missing.
     */
    @PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
    }
}
