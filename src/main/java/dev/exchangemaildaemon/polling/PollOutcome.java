package dev.exchangemaildaemon.polling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one poll of one mailbox did.
 *
 * @param unread unread messages found in the folder
 * @param delivered messages written to the Maildir by this poll
 * @param actioned messages whose after-delivery action (mark read, move, delete) was done by this poll
 * @param bytes the size of the messages delivered by this poll
 * @param itemFailures messages the server refused individually; they stay unread and are retried next poll
 * @param serverBackOff the longest wait the server asked for in refusing some of them (throttling), if any
 * @param targetRefusals the messages the delivery target refused, each with what it said
 */
public record PollOutcome(int unread, int delivered, long bytes, int actioned, int itemFailures,
        Optional<Duration> serverBackOff, List<String> targetRefusals) {

    public PollOutcome(int unread, int delivered, long bytes, int actioned, int itemFailures,
            Optional<Duration> serverBackOff) {
        this(unread, delivered, bytes, actioned, itemFailures, serverBackOff, List.of());
    }

    /** This poll's and another folder's together: counts added, the longer back-off, both refusals. */
    PollOutcome plus(PollOutcome other) {
        Optional<Duration> longer = serverBackOff.isEmpty() ? other.serverBackOff
                : other.serverBackOff.filter(theirs -> theirs.compareTo(serverBackOff.get()) > 0).or(() -> serverBackOff);
        return new PollOutcome(unread + other.unread, delivered + other.delivered, bytes + other.bytes,
                actioned + other.actioned, itemFailures + other.itemFailures, longer,
                Stream.concat(targetRefusals.stream(), other.targetRefusals.stream()).toList());
    }
}
