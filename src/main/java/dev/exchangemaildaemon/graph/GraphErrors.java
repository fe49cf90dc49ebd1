package dev.exchangemaildaemon.graph;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;
import dev.exchangemaildaemon.net.StatusFailures;

/** Turns what Graph or the network said into a {@link MailboxException} of the right kind. */
final class GraphErrors {

    /**
     * Graph error codes whose kind the HTTP status alone would get wrong or leave open; any other code takes its
     * kind from the status: 401 and 403 AUTH, 429 and 5xx TRANSIENT, the rest PERMANENT.
     */
    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("InvalidAuthenticationToken", Kind.AUTH),
            Map.entry("ErrorAccessDenied", Kind.AUTH),
            Map.entry("Authorization_RequestDenied", Kind.AUTH),
            Map.entry("ErrorSendAsDenied", Kind.PERMANENT),
            Map.entry("ErrorInvalidUser", Kind.PERMANENT),
            Map.entry("ResourceNotFound", Kind.PERMANENT),
            Map.entry("MailboxNotEnabledForRESTAPI", Kind.PERMANENT),
            Map.entry("ApplicationThrottled", Kind.TRANSIENT),
            Map.entry("TooManyRequests", Kind.TRANSIENT),
            Map.entry("ErrorServerBusy", Kind.TRANSIENT),
            Map.entry("ErrorMailboxStoreUnavailable", Kind.TRANSIENT),
            Map.entry("ErrorMailboxMoveInProgress", Kind.TRANSIENT),
            Map.entry("ErrorInternalServerTransientError", Kind.TRANSIENT),
            Map.entry("ErrorTimeoutExpired", Kind.TRANSIENT));

    /** Codes about one message rather than the mailbox: the other messages of the call may still succeed. */
    private static final Set<String> ITEM_CODES = Set.of("ErrorItemNotFound", "ErrorInvalidIdMalformed");

    private GraphErrors() {
    }

    /**
     * A failed request: Graph's own code when the body names one, else {@code HTTP <status>}. A 429 always backs off
     * (see {@link StatusFailures#backOff}); 503 and 504 may say in {@code Retry-After} when to come back.
     */
    static MailboxException of(int status, Optional<GraphJson.ErrorDetail> error, Optional<String> retryAfter) {
        String code = error.map(GraphJson.ErrorDetail::code).filter(text -> !text.isBlank()).orElse("HTTP " + status);
        String message = error.map(GraphJson.ErrorDetail::message).filter(text -> !text.isBlank())
                .map(text -> text + " (HTTP " + status + ")")
                .orElse("the server answered HTTP " + status);
        Duration backOff = StatusFailures.backOff(status, retryAfter, Clock.systemUTC()).orElse(null);
        return new MailboxException(code, KINDS.getOrDefault(code, StatusFailures.kind(status)), message, backOff,
                null);
    }

    static boolean concernsItem(MailboxException e) {
        return ITEM_CODES.contains(e.code());
    }
}
