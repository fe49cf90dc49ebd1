package dev.exchangemaildaemon.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A transport-level fault for the next requests, for resilience tests: pick what happens with a factory, then
 * narrow it with {@link #times}, {@link #operation} and {@link #mailbox}, and hand it to
 * {@link ExchangeSimulator#ewsFault} or {@link ExchangeSimulator#graphFault}: each API has faults of its own, named
 * by its own operations. By default it hits the next one request of any operation and mailbox.
 */
public final class HttpFault {

    private static final String ENDLESS_ERROR_START = "{\"error\": {\"code\": \"ErrorInternalServerError\",";

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

    /**
     * HTTP 429 with {@code Retry-After} exactly as given (Graph's throttling guide shows {@code 2.128}), and no body;
     * none at all when empty.
     */
    public static HttpFault tooManyRequests(Optional<String> retryAfter) {
        return of(FaultAction.status(429, retryAfter.map(value -> Map.of("Retry-After", value)).orElse(Map.of())));
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

    /** The real answer once the test counts the latch down (after a minute at the latest, so nothing hangs). */
    public static HttpFault heldUntil(CountDownLatch release) {
        return of(FaultAction.heldUntil(release, Duration.ofMinutes(1)));
    }

    /**
     * The operation runs at once (a send goes out), its answer only once the test counts the latch down (after a
     * minute at the latest): Exchange accepted the request, the client timed out waiting.
     */
    public static HttpFault runThenHeldUntil(CountDownLatch release) {
        return of(LostAnswers.runThenHold(release, Duration.ofMinutes(1)));
    }

    /** No answer until the test counts the latch down (a minute at the latest), then the connection closes unrun. */
    public static HttpFault unrunUntil(CountDownLatch release) {
        return of(LostAnswers.holdUnrun(release, Duration.ofMinutes(1)));
    }

    /**
     * The real answer in {@code pieces} pieces, {@code pause} apart: a slow link on which it keeps coming, taking
     * longer in all than a request may, with no pause as long.
     */
    public static HttpFault trickle(int pieces, Duration pause) {
        return of(FaultAction.trickle(pieces, pause));
    }

    /** The real answer's headers and the first {@code bytes} of its body, then nothing, the connection open. */
    public static HttpFault stallAfter(int bytes) {
        return of(FaultAction.stallAfter(bytes));
    }

    /**
     * That status with a JSON error body that starts as Graph's and never ends: more and more blanks, as fast as
     * the client reads them.
     */
    public static HttpFault endlessErrorBody(int status) {
        return of(FaultAction.endlessBody(status, ENDLESS_ERROR_START, Duration.ZERO));
    }

    /** That status with a JSON error body that starts as Graph's, then stops coming, the connection open. */
    public static HttpFault stalledErrorBody(int status) {
        return of(FaultAction.endlessBody(status, ENDLESS_ERROR_START, Duration.ofDays(1)));
    }

    /**
     * The connection drops in the middle of that message each time an answer carries it, whichever request it is;
     * for as many requests as {@link #times} says, counting those that do not carry it.
     */
    public static HttpFault dropConnectionInside(byte[] mime) {
        return of(FaultAction.dropConnectionInside(mime.clone()));
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
