package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.testing.CapturedLog;

class DeliveryLogTest {

    @TempDir
    Path dir;

    /** A delivery key as {@link DeliveryKey} makes them: 16 bytes in base64url. */
    private static String key(int n) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ByteBuffer.allocate(16).putLong(n * 0x9E3779B97F4A7C15L).putLong(n).array());
    }

    @Test
    void statesSurviveReopening() throws IOException {
        Path file = dir.resolve("state/box.delivered");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            log.delivered(List.of(key(1)));
            log.delivered(List.of(key(2)));
            log.done(List.of(key(1)));
        }
        try (DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(DeliveryLog.State.DONE, log.state(key(1)));
            assertEquals(DeliveryLog.State.DELIVERED, log.state(key(2)));
            assertNull(log.state(key(3)));
            assertEquals(2, log.size());
        }
    }

    @Test
    void aLineTornByACrashIsCutOffWithAWarningNamingFileAndOffset() throws IOException {
        Path file = dir.resolve("box.delivered");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            log.delivered(List.of(key(1)));
        }
        Files.writeString(file, "A " + key(1).substring(0, 9), StandardCharsets.US_ASCII, StandardOpenOption.APPEND);

        try (CapturedLog warnings = CapturedLog.install(); DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(DeliveryLog.State.DELIVERED, log.state(key(1)));
            log.delivered(List.of(key(2)));
            assertTrue(warnings.text().contains(file + ": incomplete last line at byte offset 25"), warnings.text());
        }
        assertEquals("D " + key(1) + "\nD " + key(2) + "\n", Files.readString(file));
    }

    /** Bytes that are no text at all (bad UTF-8 after a torn write, a block of garbage) stop nothing. */
    @Test
    void damagedLinesAndAGarbledTailAreSkippedAndTheRestCounts() throws IOException {
        Path file = dir.resolve("box.delivered");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            log.delivered(List.of(key(1)));
        }
        byte[] garbage = { (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 'x', '\n' };
        Files.write(file, garbage, StandardOpenOption.APPEND);
        Files.writeString(file, "A " + key(1) + "\nD " + key(2) + "\nX not a record line\n", StandardOpenOption.APPEND);
        Files.write(file, new byte[] { 0, 0, 0, (byte) 0x80, (byte) 0xBF }, StandardOpenOption.APPEND);

        try (CapturedLog warnings = CapturedLog.install(); DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(DeliveryLog.State.DONE, log.state(key(1)));
            assertEquals(DeliveryLog.State.DELIVERED, log.state(key(2)));
            assertTrue(warnings.text().contains(file + ": damaged line at byte offset 25 skipped"), warnings.text());
            assertTrue(warnings.text().contains(file + ": damaged line at byte offset 81 skipped"), warnings.text());
            assertTrue(warnings.text().contains(file + ": incomplete last line at byte offset 101"), warnings.text());
        }
    }

    /**
     * Past {@link DeliveryLog#COMPACT_AT} keys the journal is merged into the sorted index and emptied, so that the
     * heap holds only the keys since; every state is still known, after a reopen too.
     */
    @Test
    void theJournalIsCompactedIntoTheIndexAndNothingIsForgotten() throws IOException {
        Path file = dir.resolve("box.delivered");
        int total = DeliveryLog.COMPACT_AT * 2 + 10;
        try (DeliveryLog log = DeliveryLog.open(file)) {
            for (int first = 0; first < total; first += 1000) {
                List<String> batch = new ArrayList<>();
                for (int n = first; n < Math.min(first + 1000, total); n++) {
                    batch.add(key(n));
                }
                log.delivered(batch);
                log.done(batch.subList(0, batch.size() / 2)); // half with their server action still to do
            }
            assertEquals(total, log.size());
        }
        assertTrue(Files.size(file) < 2L * 25 * DeliveryLog.COMPACT_AT, "the journal was emptied: " + Files.size(file));
        assertTrue(Files.exists(dir.resolve("box.delivered.index")));
        assertFalse(Files.exists(dir.resolve("box.delivered.index.tmp")), "no temporary file left");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(total, log.size());
            for (int n = 0; n < total; n++) {
                int batchSize = Math.min(1000, total - n / 1000 * 1000);
                DeliveryLog.State expected = n % 1000 < batchSize / 2 ? DeliveryLog.State.DONE
                        : DeliveryLog.State.DELIVERED;
                assertEquals(expected, log.state(key(n)), "key " + n);
            }
            assertNull(log.state(key(total)));
            log.done(List.of(key(999)));
            assertEquals(DeliveryLog.State.DONE, log.state(key(999)), "a key in the index moves on to done");
        }
    }

    /**
     * A crash during compaction: after the new index was renamed into place but before the journal was emptied
     * (its keys are then in both), or before the rename (a temporary file is left). Either way every key counts
     * once.
     */
    @Test
    void aCompactionCutShortByACrashLosesAndDoublesNothing() throws IOException {
        Path file = dir.resolve("box.delivered");
        List<String> keys = new ArrayList<>();
        for (int n = 0; n < DeliveryLog.COMPACT_AT; n++) {
            keys.add(key(n));
        }
        byte[] journalBefore;
        try (DeliveryLog log = DeliveryLog.open(file)) {
            log.delivered(keys.subList(0, 10));
            journalBefore = Files.readAllBytes(file);
            log.delivered(keys.subList(10, keys.size())); // compacts
        }
        Files.write(file, journalBefore); // the journal as it was before being emptied
        Files.writeString(dir.resolve("box.delivered.index.tmp"), "half an index");

        try (DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(keys.size(), log.size());
            assertEquals(DeliveryLog.State.DELIVERED, log.state(key(3)));
            assertEquals(DeliveryLog.State.DELIVERED, log.state(key(DeliveryLog.COMPACT_AT - 1)));
        }
        assertFalse(Files.exists(dir.resolve("box.delivered.index.tmp")));
    }

    /** An index that is not whole cannot be searched safely: the record refuses to open, naming the file. */
    @Test
    void aDamagedIndexIsRefusedNamingIt() throws IOException {
        Path file = dir.resolve("box.delivered");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            List<String> keys = new ArrayList<>();
            for (int n = 0; n < DeliveryLog.COMPACT_AT; n++) {
                keys.add(key(n));
            }
            log.delivered(keys);
        }
        Path index = dir.resolve("box.delivered.index");
        byte[] bytes = Files.readAllBytes(index);
        bytes[100] ^= 0x40;
        Files.write(index, bytes);

        IOException refused = assertThrows(IOException.class, () -> DeliveryLog.open(file));
        assertTrue(refused.getMessage().contains(index.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("damaged"), refused.getMessage());
    }

    /**
     * A full disk cuts a write short: the keys of that write are not recorded, and the piece of a line it left must
     * not cost the next key written once there is room again (it would join it into one damaged line, lost at the
     * next start: a message delivered twice).
     */
    @Test
    void aWriteCutShortByAFullDiskCostsNoLaterKey() throws IOException {
        for (boolean truncateFails : new boolean[] { false, true }) {
            Path file = dir.resolve("cut-short-" + truncateFails + ".log");
            FailingDiskChannel disk = new FailingDiskChannel(file);
            try (DeliveryLog log = DeliveryLog.open(file, disk)) {
                log.delivered(List.of(key(1)));
                disk.bytesLeft = 10;
                disk.truncateFails = truncateFails;
                assertThrows(IOException.class, () -> log.delivered(List.of(key(2))));
                assertNull(log.state(key(2)), "not recorded, so the caller does not count it");
                disk.bytesLeft = -1;
                disk.truncateFails = false;
                log.delivered(List.of(key(3)));
            }
            try (DeliveryLog reopened = DeliveryLog.open(file)) {
                assertEquals(DeliveryLog.State.DELIVERED, reopened.state(key(1)), "truncate fails: " + truncateFails);
                assertNull(reopened.state(key(2)), "truncate fails: " + truncateFails);
                assertEquals(DeliveryLog.State.DELIVERED, reopened.state(key(3)), "truncate fails: " + truncateFails);
            }
        }
    }
}
