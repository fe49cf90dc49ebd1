package dev.exchangemaildaemon.simulator;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque identifiers shaped like Exchange Online's: base64 of random bytes, about 150 characters for an item
 * and 120 for a folder, with short change keys. Clients must store and send them back verbatim.
 */
public final class ItemIds {

    private static final int ITEM_ID_BYTES = 112;
    private static final int FOLDER_ID_BYTES = 88;
    private static final int CHANGE_KEY_BYTES = 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ItemIds() {
    }

    static String newItemId() {
        return random(ITEM_ID_BYTES);
    }

    static String newFolderId() {
        return random(FOLDER_ID_BYTES);
    }

    /** A Graph immutable id: URL-safe base64, as Graph's ids are. */
    static String newImmutableId() {
        byte[] raw = new byte[ITEM_ID_BYTES];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().encodeToString(raw);
    }

    static String newChangeKey() {
        return random(CHANGE_KEY_BYTES);
    }

    /** Whether the text could be an item or folder id at all; Exchange answers ErrorInvalidIdMalformed if not. */
    public static boolean wellFormed(String id) {
        try {
            int length = Base64.getDecoder().decode(id).length;
            return length == ITEM_ID_BYTES || length == FOLDER_ID_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
