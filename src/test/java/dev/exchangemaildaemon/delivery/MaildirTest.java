package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.testing.CapturedLog;

class MaildirTest {

    @TempDir
    Path dir;

    @Test
    void deliveredMessageIsInNewWithItsExactBytesAndTmpIsEmpty() throws IOException {
        Maildir maildir = new Maildir(dir.resolve("box")).create();
        byte[] mime = "Subject: =?UTF-8?B?w6TDtsO8?=\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

        Path file = maildir.deliver("1700000000.KEY1.host", new ByteArrayInputStream(mime));

        assertEquals(dir.resolve("box/new/1700000000.KEY1.host"), file);
        assertArrayEquals(mime, Files.readAllBytes(file));
        assertEquals(List.of(), list(dir.resolve("box/tmp")));
    }

    /**
     * The writes go through one buffer reused from message to message: every size around its length comes out
     * whole, from a stream that hands out a few bytes at a time, and nothing of a longer message before it leaks
     * into a shorter one.
     */
    @Test
    void messagesOfEverySizeAroundTheWriteBufferAreWrittenExactly() throws IOException {
        Maildir maildir = new Maildir(dir.resolve("box")).create();
        java.util.Random random = new java.util.Random(15);
        int block = 64 * 1024;
        int[] sizes = { 3 * block + 1, 0, 1, block - 1, block, block + 1, 2 * block, 2 * block + 7, 5 };
        for (int i = 0; i < sizes.length; i++) {
            byte[] mime = new byte[sizes[i]];
            random.nextBytes(mime);
            InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(mime)) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return super.read(buffer, offset, Math.min(length, 1 + random.nextInt(5000)));
                }
            };

            Path file = maildir.deliver("1700000000.SIZE" + i + ".host", trickle);

            assertArrayEquals(mime, Files.readAllBytes(file), sizes[i] + " bytes");
        }
    }

    /** Two different messages whose names came out the same: neither replaces the other, and both are logged. */
    @Test
    void aFileInNewIsNeverReplaced() throws IOException {
        Maildir maildir = new Maildir(dir.resolve("box")).create();
        byte[] first = "Subject: first\r\n\r\none\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "Subject: second\r\n\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII);

        try (CapturedLog log = CapturedLog.install()) {
            Path one = maildir.deliver("1700000000.KEY1.host", new ByteArrayInputStream(first));
            Path two = maildir.deliver("1700000000.KEY1.host", new ByteArrayInputStream(second));
            Path again = maildir.deliver("1700000000.KEY1.host", new ByteArrayInputStream(first));

            assertArrayEquals(first, Files.readAllBytes(one));
            assertArrayEquals(second, Files.readAllBytes(two));
            assertEquals(one, again, "the same message fetched again is not written twice");
            assertEquals(2, list(dir.resolve("box/new")).size());
            assertEquals(List.of(), list(dir.resolve("box/tmp")));
            assertEquals(Set.of("KEY1"), maildir.presentKeys());
            assertTrue(log.text().contains("taken by a different message"), log.text());
            assertTrue(log.text().contains("already in the Maildir with the same content"), log.text());
        }
    }

    @Test
    void aStreamThatBreaksLeavesNothingBehind() throws IOException {
        Maildir maildir = new Maildir(dir.resolve("box")).create();
        InputStream broken = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 1000) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };

        assertThrows(IOException.class, () -> maildir.deliver("1.KEY2.host", broken));

        assertEquals(List.of(), list(dir.resolve("box/tmp")));
        assertEquals(List.of(), list(dir.resolve("box/new")));
    }

    @Test
    void presentKeysAreFoundInNewAndInCurWithFlags() throws IOException {
        Maildir maildir = new Maildir(dir.resolve("box")).create();
        maildir.deliver("1.KEYNEW.host.example.com", new ByteArrayInputStream(new byte[] { 1 }));
        Files.writeString(dir.resolve("box/cur/2.KEYSEEN.host:2,S"), "x");

        assertEquals(Set.of("KEYNEW", "KEYSEEN"), maildir.presentKeys());
    }

    private static List<Path> list(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.toList();
        }
    }

    @Test
    void aFileACrashLeftInTmpIsRemovedAtStart() throws IOException {
        new Maildir(dir.resolve("box")).create();
        Files.writeString(dir.resolve("box/tmp/1.HALF.host"), "half a message");

        new Maildir(dir.resolve("box")).create();

        assertEquals(List.of(), list(dir.resolve("box/tmp")));
    }
}
