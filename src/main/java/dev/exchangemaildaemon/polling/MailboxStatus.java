package dev.exchangemaildaemon.polling;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the last polls of one mailbox did, for health, logs and the API. Immutable: each poll publishes a
 * new one.
 *
 * @param setAside the messages set aside because their fetch kept failing (Message-ID, else item id)
 */
public record MailboxStatus(String address, List<String> types, Optional<Instant> lastAttempt,
        Optional<Instant> lastSuccess, Optional<String> lastError, long delivered, int consecutiveFailures,
        List<String> setAside) {

    static MailboxStatus initial(String address, List<String> types) {
        return new MailboxStatus(address, types, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0,
                List.of());
    }

    /** A poll in which the delivery target refused messages names them, with its answer, as the last error. */
    MailboxStatus succeeded(Instant at, int newlyDelivered, List<String> setAsideNow, List<String> targetRefusals) {
        Optional<String> error = targetRefusals.isEmpty() ? lastError
                : Optional.of("the delivery target refused " + String.join("; ", targetRefusals));
        return new MailboxStatus(address, types, Optional.of(at), Optional.of(at), error, delivered + newlyDelivered,
                0, setAsideNow);
    }

    MailboxStatus failed(Instant at, String error, List<String> setAsideNow) {
        return new MailboxStatus(address, types, Optional.of(at), lastSuccess, Optional.of(error), delivered,
                consecutiveFailures + 1, setAsideNow);
    }
}
