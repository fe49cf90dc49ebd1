package dev.exchangemaildaemon.outgoing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message taken from a client is kept on disk whole up to the limit, and refused 552 above it, leaving nothing. */
class SpooledMessageTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheMessageUpToTheLimitAndDeletesItOnClose() throws Exception {
        byte[] message = OutgoingMessages.large("a@example.com", "b@example.com", 200_000);
        Path file;
        try (SpooledMessage spooled = SpooledMessage.of(new ByteArrayInputStream(message), dir, message.length)) {
            file = spooled.file();
            assertEquals(message.length, spooled.size());
            assertArrayEquals(message, Files.readAllBytes(file));
        }
        assertFalse(Files.exists(file));
    }

    /** The digest that tells a retry from another message covers every byte received, and not the Bcc added. */
    @Test
    void theDigestIsTheSha256OfTheBytesAsReceivedAlsoAfterABccIsAdded() throws Exception {
        byte[] message = OutgoingMessages.large("a@example.com", "b@example.com", 200_000);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(message);

        try (SpooledMessage spooled = SpooledMessage.of(new ByteArrayInputStream(message), dir, message.length);
                SpooledMessage withBcc = spooled.withBcc(List.of("c@example.com"))) {
            assertArrayEquals(expected, spooled.digest());
            assertArrayEquals(expected, withBcc.digest());
        }
    }

    @Test
    void aMessageOverTheLimitIsRefused552AndReadToItsEndAndNotKept() throws Exception {
        byte[] message = OutgoingMessages.large("a@example.com", "b@example.com", 200_000);
        ByteArrayInputStream in = new ByteArrayInputStream(message);

        SendRefusal refusal = assertThrows(SendRefusal.class, () -> SpooledMessage.of(in, dir, 100_000));

        assertEquals(552, refusal.smtpCode());
        assertTrue(refusal.reply().startsWith("5.3.4 the message is larger than the 100000 bytes allowed"),
                refusal.reply());
        assertEquals(0, in.available(), "read to the end, so the client gets the reply");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }
}
