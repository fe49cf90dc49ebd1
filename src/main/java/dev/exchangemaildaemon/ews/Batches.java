package dev.exchangemaildaemon.ews;

import java.util.ArrayList;
import java.util.List;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;

/** Splits item operations into requests the server accepts, and sends them one after the other. */
final class Batches {

    /** EWS limits how many items one request may name. */
    static final int MAX_ITEMS = 100;

    @FunctionalInterface
    interface Batch {
        List<ItemFailure> send(List<MessageRef> messages) throws MailboxException;
    }

    private Batches() {
    }

    static List<String> ids(List<MessageRef> batch) {
        return batch.stream().map(MessageRef::id).toList();
    }

    static List<List<MessageRef>> ofCount(List<MessageRef> messages) {
        return ofCountAndSize(messages, Long.MAX_VALUE);
    }

    /** Batches of at most {@link #MAX_ITEMS} whose reported sizes add up to at most maxBytes, or of a single item. */
    static List<List<MessageRef>> ofCountAndSize(List<MessageRef> messages, long maxBytes) {
        List<List<MessageRef>> batches = new ArrayList<>();
        List<MessageRef> batch = new ArrayList<>();
        long bytes = 0;
        for (MessageRef message : messages) {
            long size = Math.max(0, message.size());
            if (!batch.isEmpty() && (batch.size() == MAX_ITEMS || bytes + size > maxBytes)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(message);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Sends the batches in order. Once the server asks to back off, the remaining batches are not sent: their items
     * fail with that same error, so that the caller retries them later.
     */
    static List<ItemFailure> send(List<List<MessageRef>> batches, Batch operation) throws MailboxException {
        List<ItemFailure> failures = new ArrayList<>();
        MailboxException throttled = null;
        for (List<MessageRef> batch : batches) {
            if (throttled != null) {
                for (MessageRef message : batch) {
                    failures.add(new ItemFailure(message, throttled));
                }
                continue;
            }
            List<ItemFailure> refused = operation.send(batch);
            failures.addAll(refused);
            throttled = refused.stream().map(ItemFailure::error).filter(error -> error.backOff().isPresent())
                    .findFirst().orElse(null);
        }
        return failures;
    }
}
