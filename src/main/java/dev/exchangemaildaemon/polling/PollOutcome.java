package dev.exchangemaildaemon.polling;

/**
 * What one poll of one mailbox did.
 *
 * @param unread unread messages found in the folder
 * @param delivered messages written to the Maildir by this poll
 * @param actioned messages whose after-delivery action (mark read, move, delete) was done by this poll
 * @param bytes the size of the messages delivered by this poll
 * @param itemFailures messages the server refused individually; they stay unread and are retried next poll
 */
public record PollOutcome(int unread, int delivered, long bytes, int actioned, int itemFailures) {
}
