package dev.exchangemaildaemon.simulator;

import java.time.Instant;

/**
 * A message as the store holds it. Immutable: marking it read yields a copy with a new change key, moving it a
 * copy with a new id, as Exchange gives a moved item a new id.
 *
 * @param sequence           arrival order, breaking ties between equal received times
 * @param internetMessageId  the MIME {@code Message-ID}, or {@code null} if the message has none
 */
record StoredItem(String id, String changeKey, byte[] mime, boolean read, Instant received, long sequence,
                  String internetMessageId) {

    StoredItem withRead(boolean read) {
        return new StoredItem(id, ItemIds.newChangeKey(), mime, read, received, sequence, internetMessageId);
    }

    StoredItem withNewId() {
        return new StoredItem(ItemIds.newItemId(), ItemIds.newChangeKey(), mime, read, received, sequence,
                internetMessageId);
    }

    int size() {
        return mime.length;
    }

    SimMessage toSimMessage() {
        return new SimMessage(id, mime.clone(), read, received, internetMessageId);
    }
}
