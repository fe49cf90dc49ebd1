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
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        Files.writeString(dir.resolve("box/tmp/1.HALF.host" + Maildir.OWN_TMP + "1733300000000-4242.1"),
                "half a message, written by a run of the daemon that crashed");

        new Maildir(dir.resolve("box")).create();

        assertEquals(List.of(), list(dir.resolve("box/tmp")));
    }

    /**
     * The Maildir is a user's that Dovecot also delivers into: its file in tmp/, on its way, is left alone, and
     * removed only once untouched for 36 hours (the Maildir convention), as a crashed writer's.
     */
    @Test
    void anotherWritersFileInTmpIsLeftUntilItIsAbandoned() throws IOException {
        new Maildir(dir.resolve("box")).create();
        Path dovecots = Files.writeString(dir.resolve("box/tmp/1733300000.M123P456.mail.contoso.com"), "on its way");
        Instant now = Instant.now();

        new Maildir(dir.resolve("box")).create(Clock.fixed(now.plus(Duration.ofHours(35)), ZoneOffset.UTC));
        assertEquals(List.of(dovecots), list(dir.resolve("box/tmp")), "another writer's, not yet abandoned");

        new Maildir(dir.resolve("box")).create(Clock.fixed(now.plus(Duration.ofHours(37)), ZoneOffset.UTC));
        assertEquals(List.of(), list(dir.resolve("box/tmp")), "untouched for 36 hours");
    }

    /**
     * Two mailboxes deliver into one Maildir, the second opened while the first has a message on its way: it is
     * this run's, not a crash's leftover, and goes on into new/.
     */
    @Test
    void aMessageOnItsWayIsNotTakenForACrashesLeftover() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        Maildir first = new Maildir(dir.resolve("box"), file -> await(disk)).create();
        Envelope envelope = envelope("1.KEYA.host");
        Path received = receive(first, envelope, new byte[] { 1 });

        new Maildir(dir.resolve("box")).create();
        disk.countDown();

        assertEquals(Handover.Verdict.ACCEPTED, first.handOver(envelope, received).verdict());
        assertEquals(List.of(dir.resolve("box/new/1.KEYA.host")), list(dir.resolve("box/new")));
    }

    /**
     * Forcing to disk goes on beside receiving: with every force held back (a slow disk), each receive still
     * returns at once, nothing is in new/ yet, and a message is accepted only once its own force is done.
     */
    @Test
    void receivingGoesOnWhileForcedWritesWaitForTheDisk() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        Maildir maildir = new Maildir(dir.resolve("box"), file -> {
            await(disk);
            Files.size(file); // still there to be forced
        }).create();
        List<Envelope> envelopes = List.of(envelope("1.KEYA.host"), envelope("1.KEYB.host"), envelope("1.KEYC.host"));

        List<Path> received = CompletableFuture.supplyAsync(() -> envelopes.stream()
                .map(envelope -> receive(maildir, envelope, envelope.key().getBytes(StandardCharsets.US_ASCII)))
                .toList()).get(10, TimeUnit.SECONDS);

        assertEquals(List.of(), list(dir.resolve("box/new")), "nothing counts as delivered before it is forced");
        CompletableFuture<Handover> first = CompletableFuture.supplyAsync(() -> handOver(maildir, envelopes.get(0),
                received.get(0)));
        assertThrows(TimeoutException.class, () -> first.get(200, TimeUnit.MILLISECONDS), "waits for its force");
        disk.countDown();
        assertEquals(Handover.Verdict.ACCEPTED, first.get(10, TimeUnit.SECONDS).verdict());
        for (int i = 1; i < envelopes.size(); i++) {
            assertEquals(Handover.Verdict.ACCEPTED, maildir.handOver(envelopes.get(i), received.get(i)).verdict());
        }
        maildir.sync();
        for (Envelope envelope : envelopes) {
            assertArrayEquals(envelope.key().getBytes(StandardCharsets.US_ASCII),
                    Files.readAllBytes(dir.resolve("box/new").resolve(envelope.fileName())));
        }
        assertEquals(List.of(), list(dir.resolve("box/tmp")));
    }

    /** A force that fails is that message's failure, at its hand-over; it leaves nothing, and the others go in. */
    @Test
    void aForceThatFailsFailsThatMessageOnly() throws Exception {
        Maildir maildir = new Maildir(dir.resolve("box"), file -> {
            if (file.getFileName().toString().contains("BAD")) {
                throw new IOException("I/O error (the disk)");
            }
        }).create();
        Envelope good = envelope("1.GOOD.host");
        Envelope bad = envelope("1.BAD.host");
        Path badFile = receive(maildir, bad, new byte[] { 1 });
        Path goodFile = receive(maildir, good, new byte[] { 2 });

        IOException failure = assertThrows(IOException.class, () -> maildir.handOver(bad, badFile));
        assertTrue(failure.getMessage().contains("the disk"), failure.getMessage());
        assertEquals(Handover.Verdict.ACCEPTED, maildir.handOver(good, goodFile).verdict());
        maildir.sync();

        assertEquals(List.of(dir.resolve("box/new/1.GOOD.host")), list(dir.resolve("box/new")));
        assertEquals(List.of(), list(dir.resolve("box/tmp")));
    }

    /**
     * Two different messages that came out with one name, on their way to new/ at the same time: each keeps its own
     * bytes (their files in tmp/ are apart) and gets a name of its own.
     */
    @Test
    void twoMessagesWithOneNameOnTheirWayAtOnceKeepTheirOwnBytes() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        Maildir maildir = new Maildir(dir.resolve("box"), file -> await(disk)).create();
        Envelope envelope = envelope("1.SAME.host");
        Path first = receive(maildir, envelope, "first message".getBytes(StandardCharsets.US_ASCII));
        Path second = receive(maildir, envelope, "second message".getBytes(StandardCharsets.US_ASCII));
        disk.countDown();

        maildir.handOver(envelope, first);
        maildir.handOver(envelope, second);
        maildir.sync();

        assertEquals(Set.of("first message", "second message"), Set.of(
                Files.readString(dir.resolve("box/new/1.SAME.host")),
                Files.readString(dir.resolve("box/new/1.SAME.host,2"))));
    }

    private static Envelope envelope(String fileName) {
        return new Envelope("invoices@contoso.com", "inbox", Optional.empty(), Instant.EPOCH, fileName.split("\\.")[1],
                fileName);
    }

    private static Path receive(Maildir maildir, Envelope envelope, byte[] mime) {
        try {
            return maildir.receive(envelope, new ByteArrayInputStream(mime));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Handover handOver(Maildir maildir, Envelope envelope, Path received) {
        try {
            return maildir.handOver(envelope, received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the test never let the disk go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
