package dev.exchangemaildaemon.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.exchangemaildaemon.mailbox.MessageRef;

/**
 * The key under which a message counts as delivered: a hash of its Message-ID and received time, which
 * stay the same whichever API (EWS or Graph) lists the message and wherever it is moved; a message
 * without a Message-ID falls back to the server's item id. The server's item ids could not serve instead: they
 * differ between EWS and Graph, and change when a message moves. Two different messages can share a key (one
 * Message-ID, one received second); {@code MailboxPoll} fetches both and {@link Maildir#deliver} keeps both.
 */
public final class DeliveryKey {

    private DeliveryKey() {
    }

    public static String of(MessageRef message) {
        String identity = message.internetMessageId()
                .filter(id -> !id.isBlank())
                .map(id -> "mid:" + id.trim() + "|" + message.received().getEpochSecond())
                .orElse("item:" + message.id());
        return hashed(identity);
    }

    /**
     * The key of any identity text, in the form the delivery record keeps: the outgoing record names a sent message
     * by its sender and Message-ID this way.
     */
    public static String hashed(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            // 16 bytes (128 bits) keep collisions out of reach; base64url without dots fits a Maildir name.
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
