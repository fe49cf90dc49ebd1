package dev.exchangemaildaemon.simulator;

import java.time.Instant;

/**
 * A message as the store holds it. Immutable: marking it read yields a copy with a new change key, moving it a
 * copy with a new id, as Exchange gives a moved item a new id; its immutable id (Graph's, on request) stays.
 *
 * @param sequence           arrival order, breaking ties between equal received times
 * @param internetMessageId  the MIME {@code Message-ID}, or {@code null} if the message has none
 * @param immutableId        the id Graph gives with {@code Prefer: IdType="ImmutableId"}, the same in every folder
 */
public record StoredItem(String id, String changeKey, byte[] mime, boolean read, Instant received, long sequence,
                  String internetMessageId, String immutableId) {

    public StoredItem withRead(boolean read) {
        return new StoredItem(id, ItemIds.newChangeKey(), mime, read, received, sequence, internetMessageId,
                immutableId);
    }

    StoredItem withNewId() {
        return new StoredItem(ItemIds.newItemId(), ItemIds.newChangeKey(), mime, read, received, sequence,
                internetMessageId, immutableId);
    }

    public int size() {
        return mime.length;
    }

    SimMessage toSimMessage() {
        return new SimMessage(id, mime.clone(), read, received, internetMessageId);
    }
}
