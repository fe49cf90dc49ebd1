package dev.exchangemaildaemon.net;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import dev.exchangemaildaemon.mailbox.MailboxException.Kind;

/** What the HTTP status of a failed request says, the same over EWS and Graph: its kind, and when to come back. */
public final class StatusFailures {

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
     * The wait a {@code Retry-After} header asks for: delay-seconds, or an HTTP-date (RFC 9110 section 10.2.3), a
     * date in the past meaning no wait. Empty when the value is neither.
     */
    public static Optional<Duration> retryAfter(Optional<String> header, Clock clock) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String text = header.get().trim();
        if (text.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
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
