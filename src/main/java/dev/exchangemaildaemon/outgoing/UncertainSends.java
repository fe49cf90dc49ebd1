package dev.exchangemaildaemon.outgoing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends whose outcome is not known: the request failed in a way that Exchange may have carried it out all the same
 * (no answer within the request timeout after the message went out, a dropped connection, a 5xx), so the message
 * may have reached its recipients. Kept in memory, per message key (which names the sender), from the first such
 * attempt until the message is found in Sent Items or sent again with an answer; a restart forgets them, and a
 * retry after it is sent as before this rule.
 */
final class UncertainSends {

    /**
     * How long an entry is kept when its message never comes again: longer than an SMTP client keeps retrying
     * (Postfix's maximal_queue_lifetime, 5 days), so that the map cannot grow without end.
     */
    static final Duration KEPT = Duration.ofDays(5);

    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    /** The send of that message that began then may have gone out; an earlier such attempt's time is kept. */
    void remember(MessageKey message, Instant attemptStarted) {
        since.values().removeIf(first -> first.isBefore(attemptStarted.minus(KEPT)));
        since.merge(message.key(), attemptStarted, (first, later) -> first.isBefore(later) ? first : later);
    }

    /** When the first attempt whose outcome is not known began, if one did. */
    Optional<Instant> since(MessageKey message) {
        return Optional.ofNullable(since.get(message.key()));
    }

    /** Exchange has the message (found in Sent Items, or a send answered): nothing uncertain is left. */
    void settled(MessageKey message) {
        since.remove(message.key());
    }
}
