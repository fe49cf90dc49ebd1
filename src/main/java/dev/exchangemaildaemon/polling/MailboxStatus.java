package dev.exchangemaildaemon.polling;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the last polls of one mailbox did, for health, logs and the API. Immutable: each poll publishes a
 * new one.
 */
public record MailboxStatus(String address, List<String> types, Optional<Instant> lastAttempt,
        Optional<Instant> lastSuccess, Optional<String> lastError, long delivered, int consecutiveFailures) {

    static MailboxStatus initial(String address, List<String> types) {
        return new MailboxStatus(address, types, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);
    }

    MailboxStatus succeeded(Instant at, int newlyDelivered) {
        return new MailboxStatus(address, types, Optional.of(at), Optional.of(at), lastError, delivered + newlyDelivered,
                0);
    }

    MailboxStatus failed(Instant at, String error) {
        return new MailboxStatus(address, types, Optional.of(at), lastSuccess, Optional.of(error), delivered,
                consecutiveFailures + 1);
    }
}
