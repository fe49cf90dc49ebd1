package dev.exchangemaildaemon.ews;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The EWS client's meters, as Prometheus names them: {@code ews_requests_total{operation,outcome}} (outcome
 * {@code success}, {@code cancelled} or the failure's code: an EWS response code, {@code HTTP 503},
 * {@code CONNECTION} ...),
 * {@code ews_request_seconds{operation}}, {@code ews_retries_total{operation,reason}} and
 * {@code ews_backoff_seconds_total}.
 */
final class EwsMetrics {

    static final String SUCCESS = "success";
    /** The outcome of a request sent ahead and then given up unread, such as when the fetch it was for failed. */
    static final String CANCELLED = "cancelled";

    private final MeterRegistry registry;
    private final Counter backOff;

    EwsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.backOff = Counter.builder("ews.backoff").baseUnit("seconds")
                .description("Time spent waiting before retrying EWS requests").register(registry);
    }

    /** One HTTP request answered (or failed) after that many nanoseconds. */
    void requested(String operation, String outcome, long nanos) {
        Counter.builder("ews.requests").description("EWS requests by outcome")
                .tags("operation", operation, "outcome", outcome).register(registry).increment();
        Timer.builder("ews.request").description("Duration of EWS requests, from sending to the last byte read")
                .tags("operation", operation).register(registry).record(Duration.ofNanos(nanos));
    }

    /** A request given up before its answer was read: counted, but not timed, as it has no last byte. */
    void cancelled(String operation) {
        Counter.builder("ews.requests").description("EWS requests by outcome")
                .tags("operation", operation, "outcome", CANCELLED).register(registry).increment();
    }

    /** A request about to be retried after that wait. */
    void retrying(String operation, String reason, Duration wait) {
        Counter.builder("ews.retries").description("EWS requests retried, by the failure that caused it")
                .tags("operation", operation, "reason", reason).register(registry).increment();
        backOff.increment(wait.toNanos() / 1e9);
    }
}
