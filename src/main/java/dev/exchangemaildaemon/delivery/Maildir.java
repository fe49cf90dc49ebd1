package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * One mailbox's Maildir ({@code tmp/}, {@code new/}, {@code cur/}). A message is written to {@code tmp/},
 * forced to disk and renamed into {@code new/}, so that a crash leaves either no file in {@code new/} or the
 * whole message; {@link #sync()} then forces the directory, once for many messages.
 *
 * <p>Names are {@code {seconds}.{key}.{host}}, where the key is derived from the message (see
 * {@link DeliveryKey}). That makes a message already delivered recognisable in {@code new/} or, after
 * the reader has seen it, in {@code cur/} (where readers append {@code :2,FLAGS}).
 */
public final class Maildir implements DeliveryTarget {

    private static final Logger LOG = Logger.getLogger(Maildir.class);
    /**
     * One buffer per thread that delivers, reused for every message: a small message goes to disk in one write, a
     * large one in 64 KB writes, and the thousands of a first sync allocate nothing each.
     */
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));

    private final Path root;

    public Maildir(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Creates {@code tmp/}, {@code new/} and {@code cur/} if missing, and removes what a crash left in
     * {@code tmp/}: only this daemon writes there, and a message not yet renamed into {@code new/} was never
     * recorded, so it is fetched again.
     */
    public Maildir create() throws IOException {
        for (String sub : new String[] { "tmp", "new", "cur" }) {
            Files.createDirectories(root.resolve(sub));
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root.resolve("tmp"))) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        return this;
    }

    @Override
    public boolean showsWhatItHolds() {
        return true;
    }

    /** The keys of messages present in {@code new/} or {@code cur/}. */
    @Override
    public Set<String> presentKeys() throws IOException {
        Set<String> keys = new HashSet<>();
        for (String sub : new String[] { "new", "cur" }) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(sub))) {
                for (Path entry : entries) {
                    String[] parts = entry.getFileName().toString().split("\\.", 3);
                    if (parts.length == 3) {
                        keys.add(parts[1]);
                    }
                }
            }
        }
        return keys;
    }

    /**
     * Writes the message durably and returns its path in {@code new/}. A file in {@code new/} is never replaced:
     * the message is linked in under its name and only then unlinked from {@code tmp/}, and linking fails if the
     * name is taken. Then the file there is the same message (the copy is dropped) or another message whose name
     * came out the same (this one gets a name of its own); both are logged.
     */
    public Path deliver(String fileName, InputStream mime) throws IOException {
        Path tmp = root.resolve("tmp").resolve(fileName);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                write(mime, channel);
                channel.force(true);
            }
            for (int copy = 1;; copy++) {
                Path target = root.resolve("new").resolve(copy == 1 ? fileName : fileName + "," + copy);
                if (linkIn(tmp, target)) {
                    return target;
                }
                if (Files.mismatch(tmp, target) == -1) {
                    LOG.warnf("%s is already in the Maildir with the same content: the copy fetched again is dropped",
                            target);
                    Files.delete(tmp);
                    return target;
                }
                LOG.warnf("%s is taken by a different message with the same delivery key (Message-ID and received"
                        + " time): this one is delivered beside it, neither is replaced", target);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Copies the stream into the file, a full buffer per write (the last one aside). */
    private static void write(InputStream mime, FileChannel channel) throws IOException {
        ByteBuffer buffer = BUFFER.get();
        byte[] bytes = buffer.array();
        while (true) {
            int filled = 0;
            for (int n; filled < bytes.length && (n = mime.read(bytes, filled, bytes.length - filled)) > 0;) {
                filled += n;
            }
            buffer.clear().limit(filled);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (filled < bytes.length) {
                return;
            }
        }
    }

    /** Delivers the message into {@code new/} as it arrives: the Maildir has accepted it once this returns. */
    @Override
    public Path receive(Envelope envelope, InputStream mime) throws IOException {
        return deliver(envelope.fileName(), mime);
    }

    /** Already in {@code new/}: accepted. */
    @Override
    public Handover handOver(Envelope envelope, Path received) {
        return Handover.accepted();
    }

    /** Nothing to drop: a message in {@code new/} is delivered, and recognised by name after a crash. */
    @Override
    public void discard(Path received) {
    }

    @Override
    public String describe() {
        return "Maildir " + root;
    }

    /** Moves the file from tmp/ to target unless target exists: false if it does. */
    private boolean linkIn(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            // A file system without hard links (some network and FUSE mounts): only this daemon writes new/, so a
            // check before the rename is enough there. The check is needed: a rename replaces an existing file.
            if (Files.exists(target)) {
                return false;
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("tmp/ and new/ of " + root + " must be on one file system", e);
            }
            return true;
        }
        Files.delete(tmp);
        return true;
    }

    /** Makes the renames into {@code new/} durable: call before recording what was delivered. */
    @Override
    public void sync() throws IOException {
        forceDirectory(root.resolve("new"));
    }

    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is then as durable as they allow.
            if (Files.isDirectory(directory)) {
                return;
            }
            throw e;
        }
    }
}
