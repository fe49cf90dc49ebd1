package dev.exchangemaildaemon.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * A transport-level fault for the next EWS requests, for resilience tests: pick what happens with a factory,
 * then narrow it with {@link #times}, {@link #operation} and {@link #mailbox}, and hand it to
 * {@link ExchangeSimulator#httpFault}. By default it hits the next one request of any operation and mailbox.
 */
public final class HttpFault {

    private final FaultAction action;
    private final int times;
    private final String operation;
    private final String mailbox;

    private HttpFault(FaultAction action, int times, String operation, String mailbox) {
        this.action = action;
        this.times = times;
        this.operation = operation;
        this.mailbox = mailbox;
    }

    /** HTTP 503 with {@code Retry-After} in seconds and no body, as Exchange Online's front end answers. */
    public static HttpFault serviceUnavailable(int retryAfterSeconds) {
        return of(FaultAction.status(503, Map.of("Retry-After", Integer.toString(retryAfterSeconds))));
    }

    /** HTTP 429 with {@code Retry-After} in seconds and no body. */
    public static HttpFault tooManyRequests(int retryAfterSeconds) {
        return of(FaultAction.status(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds))));
    }

    /** The real answer's headers and the first {@code bytes} of its body, then the connection drops. */
    public static HttpFault dropConnectionAfter(int bytes) {
        return of(FaultAction.dropConnectionAfter(bytes));
    }

    /** The real answer cut to its first {@code bytes}, with a Content-Length to match: a clean EOF mid-XML. */
    public static HttpFault truncateAfter(int bytes) {
        return of(FaultAction.truncateAfter(bytes));
    }

    /** The real answer, after waiting that long. */
    public static HttpFault delay(Duration delay) {
        return of(FaultAction.delay(delay));
    }

    /** Hits the next {@code count} matching requests instead of one. */
    public HttpFault times(int count) {
        return new HttpFault(action, count, operation, mailbox);
    }

    /** Hits only requests of that operation, such as {@code GetItem}. */
    public HttpFault operation(String name) {
        return new HttpFault(action, times, name, mailbox);
    }

    /** Hits only requests reaching that mailbox. */
    public HttpFault mailbox(String address) {
        return new HttpFault(action, times, operation, address);
    }

    Fault toFault() {
        return Fault.times(times, operation, mailbox, action);
    }

    private static HttpFault of(FaultAction action) {
        return new HttpFault(action, 1, null, null);
    }
}
