package dev.exchangemaildaemon.outgoing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How each outgoing channel fares: the metrics {@code exchange_mail_outgoing_sent_total},
 * {@code exchange_mail_outgoing_refused_total} (by {@code kind}: permanent or transient) and the gauge
 * {@code exchange_mail_outgoing_queued_messages} (messages taken but not yet
 * accepted by Exchange), all by {@code channel}; and the last outcome, for the health check (also a send whose record
 * could not be written).
 */
@ApplicationScoped
public class OutgoingStatus {

    /** The last outcome of one channel. */
    public record Snapshot(long sent, long refused, long queued, Optional<Instant> lastSent,
                           Optional<Instant> lastFailure, Optional<String> lastError, boolean lastAttemptFailed) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<OutgoingChannel, AtomicLong> queued = new EnumMap<>(OutgoingChannel.class);
    private final Map<OutgoingChannel, Snapshot> snapshots = new EnumMap<>(OutgoingChannel.class);
    private final List<Gauge> gauges = new ArrayList<>();

    OutgoingStatus(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (OutgoingChannel channel : OutgoingChannel.values()) {
            AtomicLong count = new AtomicLong();
            queued.put(channel, count);
            gauges.add(Gauge.builder("exchange_mail_outgoing_queued_messages", count, AtomicLong::get)
                    .tag("channel", channel.label())
                    .description("Messages taken from local software and not yet accepted by Exchange")
                    .register(registry));
            // at 0 from the start, so that increase() sees the first one
            registry.counter("exchange_mail_outgoing_sent", "channel", channel.label());
            for (String kind : List.of("permanent", "transient")) {
                registry.counter("exchange_mail_outgoing_refused", "channel", channel.label(), "kind", kind);
            }
            snapshots.put(channel, new Snapshot(0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), false));
        }
    }

    /**
     * Micrometer's global registry outlives this bean (a second application in the same JVM, as in the tests): a
     * gauge left behind would keep answering for a counter nobody updates, and hide the next bean's.
     */
    @PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
    }

    /** The pickup directory's waiting files, or the SMTP messages in hand. */
    void queued(OutgoingChannel channel, long count) {
        queued.get(channel).set(count);
    }

    void taken(OutgoingChannel channel) {
        queued.get(channel).incrementAndGet();
    }

    void released(OutgoingChannel channel) {
        queued.get(channel).decrementAndGet();
    }

    synchronized void sent(OutgoingChannel channel) {
        registry.counter("exchange_mail_outgoing_sent", "channel", channel.label()).increment();
        Snapshot last = snapshots.get(channel);
        snapshots.put(channel, new Snapshot(last.sent() + 1, last.refused(), 0, Optional.of(clock.instant()),
                last.lastFailure(), last.lastError(), false));
    }

    synchronized void refused(OutgoingChannel channel, SendRefusal refusal) {
        registry.counter("exchange_mail_outgoing_refused", "channel", channel.label(),
                "kind", refusal.permanent() ? "permanent" : "transient").increment();
        Snapshot last = snapshots.get(channel);
        snapshots.put(channel, new Snapshot(last.sent(), last.refused() + 1, 0, last.lastSent(),
                Optional.of(clock.instant()), Optional.of(refusal.smtpCode() + " " + refusal.reply()),
                !refusal.permanent()));
    }

    /**
     * Exchange accepted a message but the record that it did could not be written: a failure of this host that
     * someone must fix, shown as the last error (readiness DOWN) until the next message goes through.
     */
    synchronized void notRecorded(OutgoingChannel channel, String reason) {
        Snapshot last = snapshots.get(channel);
        snapshots.put(channel, new Snapshot(last.sent(), last.refused(), 0, last.lastSent(),
                Optional.of(clock.instant()), Optional.of(reason), true));
    }

    public synchronized Snapshot snapshot(OutgoingChannel channel) {
        Snapshot last = snapshots.get(channel);
        return new Snapshot(last.sent(), last.refused(), queued.get(channel).get(), last.lastSent(),
                last.lastFailure(), last.lastError(), last.lastAttemptFailed());
    }
}
