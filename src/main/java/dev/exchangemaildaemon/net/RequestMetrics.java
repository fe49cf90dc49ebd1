package dev.exchangemaildaemon.net;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of the requests to Exchange, one set for EWS and Graph told apart by the {@code api} label, so that one
 * dashboard and one alert serve both: {@code exchange_mail_requests_total{api,operation,outcome}} (outcome
 * {@code success}, {@code cancelled} or the failure's code: an EWS response code, a Graph error code,
 * {@code HTTP 503}, {@code CONNECTION} ...), the histogram
 * {@code exchange_mail_request_duration_seconds{api,operation}},
 * {@code exchange_mail_request_retries_total{api,operation,reason}} and
 * {@code exchange_mail_request_backoff_seconds_total{api}}.
 */
public final class RequestMetrics {

    public static final String SUCCESS = "success";
    /** The outcome of a request sent ahead and then given up unread, such as when the fetch it was for failed. */
    public static final String CANCELLED = "cancelled";

    /** Fixed buckets: from a quick FindItem to a large message's MIME, few enough to keep the series bounded. */
    private static final Duration[] BUCKETS = { Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120) };

    private final MeterRegistry registry;
    private final String api;
    private final Counter backOff;

    /** @param api {@code ews} or {@code graph} */
    public RequestMetrics(MeterRegistry registry, String api) {
        this.registry = registry;
        this.api = api;
        this.backOff = Counter.builder("exchange_mail_request_backoff").baseUnit("seconds").tag("api", api)
                .description("Time spent waiting before retrying requests to Exchange").register(registry);
    }

    /** One HTTP request answered (or failed) after that many nanoseconds. */
    public void requested(String operation, String outcome, long nanos) {
        counted(operation, outcome);
        Timer.builder("exchange_mail_request_duration")
                .description("Duration of requests to Exchange, from sending to the last byte read")
                .tags("api", api, "operation", operation).serviceLevelObjectives(BUCKETS).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** A request given up before its answer was read: counted, but not timed, as it has no last byte. */
    public void cancelled(String operation) {
        counted(operation, CANCELLED);
    }

    /** A request about to be retried after that wait. */
    public void retrying(String operation, String reason, Duration wait) {
        Counter.builder("exchange_mail_request_retries")
                .description("Requests to Exchange retried, by the failure that caused it")
                .tags("api", api, "operation", operation, "reason", reason).register(registry).increment();
        backOff.increment(wait.toNanos() / 1e9);
    }

    private void counted(String operation, String outcome) {
        Counter.builder("exchange_mail_requests").description("Requests to Exchange by outcome")
                .tags("api", api, "operation", operation, "outcome", outcome).register(registry).increment();
    }
}
