package dev.exchangemaildaemon.net;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import dev.exchangemaildaemon.mailbox.MailboxException.Kind;

/** What the HTTP status of a failed request says, the same over EWS and Graph: its kind, and when to come back. */
public final class StatusFailures {

    /**
     * The back-off of a 429 that does not say (readably) how long to wait. It is still throttling: without a back-off
     * the failure would pass for the message's own (set aside after a few polls) and further batches would be sent
     * into the throttle. Microsoft's guide says to back off exponentially then: the poller does between polls (a
     * failed poll waits 30 s, doubling; the messages left over wait at least the poll interval), this being the
     * floor; within one request the attempts wait this long each, as Microsoft's Graph SDKs do by default (their
     * retry handler's documented default delay is 3 s).
     */
    public static final Duration THROTTLED_WITHOUT_RETRY_AFTER = Duration.ofSeconds(3);

    private StatusFailures() {
    }

    /** 401 and 403 AUTH, 429 and 5xx TRANSIENT, any other PERMANENT. */
    public static Kind kind(int status) {
        if (status == 401 || status == 403) {
            return Kind.AUTH;
        }
        return status == 429 || status >= 500 ? Kind.TRANSIENT : Kind.PERMANENT;
    }

    /**
     * The back-off a failed answer asks for, the same over EWS and Graph: a 429 always has one, its Retry-After or
     * else {@link #THROTTLED_WITHOUT_RETRY_AFTER}; a 503 or 504 has its Retry-After if readable; any other none.
     */
    public static Optional<Duration> backOff(int status, Optional<String> retryAfter, Clock clock) {
        if (status == 429) {
            return Optional.of(retryAfter(retryAfter, clock).orElse(THROTTLED_WITHOUT_RETRY_AFTER));
        }
        return status == 503 || status == 504 ? retryAfter(retryAfter, clock) : Optional.empty();
    }

    /**
     * The wait a {@code Retry-After} header asks for: delay-seconds, or an HTTP-date (RFC 9110 section 10.2.3), a
     * date in the past meaning no wait. Empty when the value is neither. RFC 9110 has whole seconds only, but
     * Microsoft Graph's throttling guide shows {@code Retry-After: 2.128}: a fraction is honoured, rounded up to the
     * millisecond.
     */
    public static Optional<Duration> retryAfter(Optional<String> header, Clock clock) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String text = header.get().trim();
        if (text.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            return Optional.of(Duration.ofMillis(new BigDecimal(text).movePointRight(3)
                    .setScale(0, RoundingMode.CEILING).longValueExact()));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(clock),
                    ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
