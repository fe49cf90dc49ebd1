package dev.exchangemaildaemon.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.jboss.logging.Logger;

/**
 * The record of what has been delivered from one mailbox, kept in the state directory so that it survives
 * restarts, in two files:
 * <ul>
 * <li>{@code ADDRESS.delivered}, an append-only journal of lines {@code D key} (in the Maildir, server action
 * pending) and {@code A key} (server action done, or none configured). Each batch of lines is forced to disk
 * before the next step.</li>
 * <li>{@code ADDRESS.delivered.index}, every older key in sorted order (16 bytes and a state byte each, with a
 * checksum), searched on disk: the heap holds the journal's keys and the first key of every 512th entry (16 bytes
 * per 512 messages), whatever the history.</li>
 * </ul>
 * When the journal holds {@value #COMPACT_AT} keys they are merged into a new index: written beside it, forced,
 * renamed over it and the directory forced; only then is the journal emptied. A crash at any point leaves an index
 * and a journal that together hold every key (a key in both is harmless). A line torn by a crash, or damaged, is
 * skipped with a warning naming the file and byte offset; the other lines count.
 */
public final class DeliveryLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);

    public enum State {
        /** In the Maildir; the after-delivery action on the server is still to do. */
        DELIVERED,
        /** In the Maildir and the after-delivery action is done. */
        DONE
    }

    /** Keys held in the heap before they are merged into the index: about 2 MB. */
    static final int COMPACT_AT = 20_000;
    /** {@code D key\n}: the kind, a space, the key (16 bytes in base64url), the newline. */
    private static final int LINE = 2 + 22 + 1;
    private static final int KEY_BYTES = 16;
    private static final int ENTRY = KEY_BYTES + 1;
    private static final byte[] MAGIC = "EMDIDX1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length;
    private static final int TRAILER = Long.BYTES;
    /** Index entries per block read by a lookup: 8.5 KB; the block's first keys take 16 bytes per block in heap. */
    private static final int BLOCK = 512;
    /** Damaged lines named one by one in the log; beyond, a count. */
    private static final int WARNINGS_NAMED = 10;

    private final Path journalFile;
    private final Path indexFile;
    private final FileChannel journal;
    /** The journal's keys, newest state. */
    private final Map<Key, State> recent = new HashMap<>();
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK * ENTRY);
    private FileChannel index;
    private long indexed;
    /** The first key of each block of {@value #BLOCK} index entries, so that a lookup reads one block. */
    private byte[] fences = new byte[0];
    /** Keys in {@link #recent} that the index does not hold. */
    private long newKeys;
    /** A failed write may have left part of a line that could not be cut back. */
    private boolean unfinishedLine;

    private DeliveryLog(Path journalFile, FileChannel journal) {
        this.journalFile = journalFile;
        this.indexFile = journalFile.resolveSibling(journalFile.getFileName() + ".index");
        this.journal = journal;
    }

    public static DeliveryLog open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return open(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    /** With the journal's channel opened by the caller, such as one on a disk that fails (tests). */
    static DeliveryLog open(Path file, FileChannel journal) throws IOException {
        DeliveryLog log = new DeliveryLog(file, journal);
        try {
            log.openIndex();
            log.load();
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    /** Opens the index and proves it whole (checksum) and sorted, so that a search on it can be trusted. */
    private void openIndex() throws IOException {
        Files.deleteIfExists(temporaryIndex()); // a compaction cut short by a crash
        if (!Files.exists(indexFile)) {
            index = null;
            indexed = 0;
            return;
        }
        FileChannel channel = FileChannel.open(indexFile, StandardOpenOption.READ);
        try {
            long size = channel.size();
            long entries = (size - HEADER - TRAILER) / ENTRY;
            if (size < HEADER + TRAILER || (size - HEADER - TRAILER) % ENTRY != 0) {
                throw damagedIndex("its size " + size + " is no whole number of entries");
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16);
            if (!Arrays.equals(in.readNBytes(HEADER), MAGIC)) {
                throw damagedIndex("it does not start as an index does");
            }
            CRC32C crc = new CRC32C();
            byte[] chunk = new byte[ENTRY * 4096];
            byte[] previous = new byte[KEY_BYTES];
            byte[] firstKeys = new byte[Math.toIntExact((entries + BLOCK - 1) / BLOCK * KEY_BYTES)];
            for (long left = entries, at = 0; left > 0;) {
                int count = (int) Math.min(left, 4096);
                in.readNBytes(chunk, 0, count * ENTRY);
                crc.update(chunk, 0, count * ENTRY);
                for (int i = 0; i < count; i++, at++) {
                    if (at > 0
                            && Arrays.compareUnsigned(previous, 0, KEY_BYTES, chunk, i * ENTRY, i * ENTRY + KEY_BYTES) >= 0) {
                        throw damagedIndex("entry " + at + " is out of order");
                    }
                    System.arraycopy(chunk, i * ENTRY, previous, 0, KEY_BYTES);
                    if (at % BLOCK == 0) {
                        System.arraycopy(chunk, i * ENTRY, firstKeys, (int) (at / BLOCK) * KEY_BYTES, KEY_BYTES);
                    }
                }
                left -= count;
            }
            if (ByteBuffer.wrap(in.readNBytes(TRAILER)).getLong() != crc.getValue()) {
                throw damagedIndex("its checksum does not match");
            }
            index = channel;
            indexed = entries;
            fences = firstKeys;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private IOException damagedIndex(String why) {
        return new IOException("the delivery record's index " + indexFile + " is damaged (" + why + "). This mailbox"
                + " stops, so that nothing is delivered twice. Restore the file from a backup; or move it away, and the"
                + " messages still unread on the server and no longer in the Maildir are delivered again");
    }

    /** Reads the journal line by line as bytes: a damaged line is skipped, a torn last line cut off. */
    private void load() throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(journal.position(0)), 1 << 16);
        byte[] line = new byte[LINE];
        long offset = 0;
        long end = 0;
        int damaged = 0;
        boolean merged = false;
        int length = 0;
        long lineStart = 0;
        boolean overlong = false;
        for (int b; (b = in.read()) != -1; offset++) {
            if (b != '\n') {
                if (length < LINE) {
                    line[length] = (byte) b;
                }
                length++;
                overlong |= length > LINE;
                continue;
            }
            Key key = overlong ? null : parse(line, length);
            if (key == null) {
                if (damaged++ < WARNINGS_NAMED) {
                    LOG.warnf("Delivery record %s: damaged line at byte offset %d skipped", journalFile, lineStart);
                }
            } else {
                apply(key, line[0] == 'A' ? State.DONE : State.DELIVERED);
                if (recent.size() >= COMPACT_AT) {
                    mergeIntoIndex(); // the journal stays whole until the end: a crash here loses nothing
                    merged = true;
                }
            }
            length = 0;
            overlong = false;
            lineStart = offset + 1;
            end = offset + 1;
        }
        if (damaged > WARNINGS_NAMED) {
            LOG.warnf("Delivery record %s: %d damaged lines skipped in all", journalFile, damaged);
        }
        if (end < offset) {
            LOG.warnf("Delivery record %s: incomplete last line at byte offset %d (a write cut short by a crash, never"
                    + " acted on) dropped", journalFile, end);
        }
        journal.truncate(end);
        journal.position(end);
        if (merged) {
            compact();
        }
    }

    /** A line {@code D key} or {@code A key} of the right length, or null. */
    private static Key parse(byte[] line, int length) {
        if (length != LINE - 1 || (line[0] != 'D' && line[0] != 'A') || line[1] != ' ') {
            return null;
        }
        try {
            byte[] key = Base64.getUrlDecoder().decode(Arrays.copyOfRange(line, 2, LINE - 1));
            return key.length == KEY_BYTES ? new Key(key) : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    public synchronized State state(String key) throws IOException {
        Key parsed = Key.of(key);
        State recentState = recent.get(parsed);
        return recentState == State.DONE ? recentState : newest(recentState, indexed(parsed));
    }

    /** Records the keys as delivered, with one write and one force for the whole batch. */
    public synchronized void delivered(Collection<String> keys) throws IOException {
        append('D', keys, State.DELIVERED);
    }

    /** Records the keys as done, with one write and one force for the whole batch. */
    public synchronized void done(Collection<String> keys) throws IOException {
        append('A', keys, State.DONE);
    }

    /** How many messages the record holds. */
    public synchronized long size() {
        return indexed + newKeys;
    }

    private void append(char kind, Collection<String> keys, State state) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        List<Key> parsed = new ArrayList<>(keys.size());
        StringBuilder lines = new StringBuilder();
        for (String key : keys) {
            parsed.add(Key.of(key));
            lines.append(kind).append(' ').append(key).append('\n');
        }
        if (unfinishedLine) {
            lines.insert(0, '\n'); // ends the piece a failed write left, so that it cannot swallow the next key
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.US_ASCII));
        long start = journal.position();
        try {
            while (bytes.hasRemaining()) {
                journal.write(bytes);
            }
            journal.force(false);
        } catch (IOException e) {
            cutBack(start, e);
            throw e;
        }
        unfinishedLine = false;
        for (Key key : parsed) {
            apply(key, state);
        }
        if (recent.size() >= COMPACT_AT) {
            compact();
        }
    }

    /**
     * Takes back what a failed write (a full disk, an I/O error) put in the journal, none of which the caller will
     * count as recorded. Left there, a piece of a line would join the next key written into one damaged line, and that
     * key would be lost at the next start. If even that fails, the next write starts on a line of its own.
     */
    private void cutBack(long start, IOException failure) {
        try {
            journal.truncate(start);
            journal.position(start);
        } catch (IOException again) {
            failure.addSuppressed(again);
            unfinishedLine = true;
        }
    }

    /** A state only moves forward: DELIVERED, then DONE. */
    private void apply(Key key, State state) throws IOException {
        State before = recent.get(key);
        if (before == null && indexed(key) == null) {
            newKeys++;
        }
        recent.put(key, newest(before, state));
    }

    private static State newest(State a, State b) {
        return a == State.DONE || b == State.DONE ? State.DONE : a != null ? a : b;
    }

    /** Finds the block that may hold the key from the first keys in heap, then reads that one block. */
    private State indexed(Key key) throws IOException {
        int low = 0;
        int high = fences.length / KEY_BYTES - 1;
        int found = -1;
        while (low <= high) { // the last block whose first key is not above the key
            int middle = (low + high) >>> 1;
            if (Arrays.compareUnsigned(fences, middle * KEY_BYTES, (middle + 1) * KEY_BYTES, key.bytes, 0, KEY_BYTES) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        long first = (long) found * BLOCK;
        int count = (int) Math.min(BLOCK, indexed - first);
        block.clear().limit(count * ENTRY);
        long at = HEADER + first * ENTRY;
        while (block.hasRemaining()) {
            if (index.read(block, at + block.position()) < 0) {
                throw new IOException(indexFile + " ended early: it changed while open");
            }
        }
        byte[] entries = block.array();
        for (int lo = 0, hi = count - 1; lo <= hi;) {
            int middle = (lo + hi) >>> 1;
            int order = Arrays.compareUnsigned(entries, middle * ENTRY, middle * ENTRY + KEY_BYTES, key.bytes, 0,
                    KEY_BYTES);
            if (order < 0) {
                lo = middle + 1;
            } else if (order > 0) {
                hi = middle - 1;
            } else {
                return entries[middle * ENTRY + KEY_BYTES] == 'A' ? State.DONE : State.DELIVERED;
            }
        }
        return null;
    }

    /** Merges the journal's keys into the index, then empties the journal. */
    private void compact() throws IOException {
        mergeIntoIndex();
        journal.truncate(0);
        journal.force(true);
        journal.position(0);
    }

    /**
     * Writes the index with the journal's keys merged in beside the old one, forces it, renames it over the old
     * one and forces the directory: a crash leaves the old index or the new, never half of one.
     */
    private void mergeIntoIndex() throws IOException {
        List<Map.Entry<Key, State>> sorted = new ArrayList<>(recent.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        Path temporary = temporaryIndex();
        long written = 0;
        ByteArrayOutputStream firstKeys = new ByteArrayOutputStream();
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(out), 1 << 16);
            CRC32C crc = new CRC32C();
            stream.write(MAGIC);
            InputStream old = index == null ? InputStream.nullInputStream()
                    : new BufferedInputStream(Channels.newInputStream(index.position(HEADER)), 1 << 16);
            byte[] entry = new byte[ENTRY];
            long remaining = indexed;
            boolean haveOld = remaining-- > 0 && old.readNBytes(entry, 0, ENTRY) == ENTRY;
            int next = 0;
            byte[] out17 = new byte[ENTRY];
            while (haveOld || next < sorted.size()) {
                int order = !haveOld ? 1 : next == sorted.size() ? -1
                        : Arrays.compareUnsigned(entry, 0, KEY_BYTES, sorted.get(next).getKey().bytes, 0, KEY_BYTES);
                if (order < 0) {
                    System.arraycopy(entry, 0, out17, 0, ENTRY);
                } else {
                    Map.Entry<Key, State> fresh = sorted.get(next++);
                    State state = order == 0 ? newest(fresh.getValue(), entry[KEY_BYTES] == 'A' ? State.DONE : null)
                            : fresh.getValue();
                    System.arraycopy(fresh.getKey().bytes, 0, out17, 0, KEY_BYTES);
                    out17[KEY_BYTES] = (byte) (state == State.DONE ? 'A' : 'D');
                }
                if (order <= 0) {
                    haveOld = remaining-- > 0 && old.readNBytes(entry, 0, ENTRY) == ENTRY;
                }
                crc.update(out17);
                stream.write(out17);
                if (written % BLOCK == 0) {
                    firstKeys.write(out17, 0, KEY_BYTES);
                }
                written++;
            }
            stream.write(ByteBuffer.allocate(TRAILER).putLong(crc.getValue()).array());
            stream.flush();
            out.force(true);
        }
        Files.move(temporary, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Maildir.forceDirectory(indexFile.getParent());
        if (index != null) {
            index.close();
        }
        index = FileChannel.open(indexFile, StandardOpenOption.READ);
        indexed = written;
        fences = firstKeys.toByteArray();
        newKeys = 0;
        recent.clear();
    }

    private Path temporaryIndex() {
        return indexFile.resolveSibling(indexFile.getFileName() + ".tmp");
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            journal.close();
        } finally {
            if (index != null) {
                index.close();
            }
        }
    }

    /** A key as its 16 bytes, ordered as the index orders them (unsigned, byte by byte). */
    private record Key(byte[] bytes) implements Comparable<Key> {

        static Key of(String key) {
            byte[] bytes = Base64.getUrlDecoder().decode(key);
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("a delivery key is 16 bytes, not " + bytes.length + ": " + key);
            }
            return new Key(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Key other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }
    }
}
