package dev.exchangemaildaemon.ews;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;
import dev.exchangemaildaemon.net.StatusFailures;

/** Turns what the server or the network said into a {@link MailboxException} of the right kind. */
final class EwsErrors {

    /** EWS response codes that are not PERMANENT; any code not listed is. */
    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("ErrorAccessDenied", Kind.AUTH),
            Map.entry("ErrorImpersonateUserDenied", Kind.AUTH),
            Map.entry("ErrorImpersonationDenied", Kind.AUTH),
            Map.entry("ErrorImpersonationFailed", Kind.AUTH),
            Map.entry("ErrorServerBusy", Kind.TRANSIENT),
            Map.entry("ErrorTimeoutExpired", Kind.TRANSIENT),
            Map.entry("ErrorInternalServerTransientError", Kind.TRANSIENT),
            Map.entry("ErrorInternalServerError", Kind.TRANSIENT),
            Map.entry("ErrorMailboxStoreUnavailable", Kind.TRANSIENT),
            Map.entry("ErrorMailboxMoveInProgress", Kind.TRANSIENT),
            Map.entry("ErrorMailboxFailover", Kind.TRANSIENT),
            Map.entry("ErrorConnectionFailed", Kind.TRANSIENT),
            Map.entry("ErrorNoRespondingCASInDestinationSite", Kind.TRANSIENT),
            Map.entry("ErrorTooManyObjectsOpened", Kind.TRANSIENT),
            Map.entry("ErrorExceededConnectionCount", Kind.TRANSIENT),
            Map.entry("ErrorBatchProcessingStopped", Kind.TRANSIENT));

    private EwsErrors() {
    }

    static MailboxException of(String responseCode, String message, Duration backOff) {
        return new MailboxException(responseCode, KINDS.getOrDefault(responseCode, Kind.PERMANENT), message, backOff,
                null);
    }

    /**
     * An HTTP status other than 200, or a 500 without a SOAP fault. Exchange Online explains 401 and 403 in its
     * {@code x-ms-diagnostics} header; a 429 always backs off (see {@link StatusFailures#backOff}), a 503 may say
     * in {@code Retry-After} when to come back.
     */
    static MailboxException http(int status, Optional<String> diagnostics, Optional<String> retryAfter) {
        Duration backOff = StatusFailures.backOff(status, retryAfter, Clock.systemUTC()).orElse(null);
        String message = "the server answered HTTP " + status + diagnostics.map(text -> " (" + text + ")").orElse("");
        return new MailboxException("HTTP " + status, StatusFailures.kind(status), message, backOff, null);
    }
}
