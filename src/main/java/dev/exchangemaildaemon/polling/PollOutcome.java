package dev.exchangemaildaemon.polling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
}
