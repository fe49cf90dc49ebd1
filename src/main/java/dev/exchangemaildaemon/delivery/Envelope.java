package dev.exchangemaildaemon.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * What a target is told about a message beside its bytes.
 *
 * @param mailbox the mailbox's address
 * @param folder the folder it was fetched from, as configured
 * @param messageId its Message-ID, if it has one
 * @param received when the server received it
 * @param key its {@link DeliveryKey}, under which it counts as delivered
 * @param fileName its Maildir file name ({@code {seconds}.{key}.{host}}), also naming its spool file
 */
public record Envelope(String mailbox, String folder, Optional<String> messageId, Instant received, String key,
        String fileName) {

    /** The message's name for people: its Message-ID, else its key. */
    public String name() {
        return messageId.orElse(key);
    }
}
