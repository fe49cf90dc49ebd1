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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * One mailbox's Maildir ({@code tmp/}, {@code new/}, {@code cur/}). A message is written to {@code tmp/},
 * forced to disk and renamed into {@code new/}, so that a crash leaves either no file in {@code new/} or the
 * whole message; {@link #sync()} then forces the directory, once for many messages.
 *
 * <p>While a poll receives, forcing and renaming happen on a few threads of their own ({@link #receive}): a forced
 * write waits for the disk, 0.3 ms on a local SSD, several on network storage, and a first sync of thousands of
 * messages would otherwise wait for each in turn before reading the next. {@link #handOver} waits for the message's
 * own, so nothing counts as accepted before it is in {@code new/} and on disk.
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
    /** Messages of one Maildir written to tmp/ and not yet in new/: bounds what a slow disk leaves waiting. */
    private static final int SETTLING_AT_MOST = 64;
    /** In the name of each file this daemon writes to {@code tmp/}: what {@link #create} may take for its own. */
    static final String OWN_TMP = ".exchange-mail-daemon.";
    /** This run of the daemon, in its {@code tmp/} names: a file of an earlier run is what a crash left. */
    private static final String RUN = System.currentTimeMillis() + "-" + ProcessHandle.current().pid();
    /** How long another writer's file in {@code tmp/} is left alone (cr.yp.to/proto/maildir.html, Dovecot). */
    private static final int FOREIGN_TMP_HOURS = 36;

    /** Forces a written file to disk; tests slow it down or make it fail. */
    @FunctionalInterface
    interface Forcer {
        void force(Path file) throws IOException;
    }

    private final Path root;
    private final Forcer forcer;
    private final Semaphore settlingRoom = new Semaphore(SETTLING_AT_MOST);
    /** By the file in tmp/ that {@link #receive} returned: its way into new/. */
    private final Map<Path, Future<Path>> settling = new ConcurrentHashMap<>();
    /**
     * Makes each name in tmp/ unique, also for two messages with the same name in new/, and for two mailboxes
     * delivering into one Maildir.
     */
    private static final AtomicLong WRITTEN = new AtomicLong();

    public Maildir(Path root) {
        this(root, Maildir::force);
    }

    Maildir(Path root, Forcer forcer) {
        this.root = root;
        this.forcer = forcer;
    }

    public Path root() {
        return root;
    }

    /** {@link #create(Clock)} by the system clock, which the file times in {@code tmp/} are in. */
    public Maildir create() throws IOException {
        return create(Clock.systemUTC());
    }

    /**
     * Creates {@code tmp/}, {@code new/} and {@code cur/} if missing, and removes what a crash left in {@code tmp/}:
     * a message of this daemon's not yet renamed into {@code new/} was never recorded, so it is fetched again. The
     * Maildir may be a user's that Dovecot, maildrop or a mail reader also write to, or one that two mailboxes share:
     * another writer's file is removed only once untouched for {@value #FOREIGN_TMP_HOURS} hours (the Maildir
     * convention), and this run's own files are messages on their way.
     */
    public Maildir create(Clock clock) throws IOException {
        for (String sub : new String[] { "tmp", "new", "cur" }) {
            Files.createDirectories(root.resolve(sub));
        }
        Instant abandoned = clock.instant().minus(Duration.ofHours(FOREIGN_TMP_HOURS));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root.resolve("tmp"))) {
            for (Path leftover : leftovers) {
                String name = leftover.getFileName().toString();
                boolean crashed = name.contains(OWN_TMP) ? !name.contains(OWN_TMP + RUN + ".")
                        : untouchedSince(leftover, abandoned);
                if (crashed) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
        return this;
    }

    private static boolean untouchedSince(Path file, Instant instant) throws IOException {
        BasicFileAttributes times = Files.readAttributes(file, BasicFileAttributes.class);
        return times.lastAccessTime().toInstant().isBefore(instant)
                && times.lastModifiedTime().toInstant().isBefore(instant);
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
        return settle(writeToTmp(fileName, mime), fileName);
    }

    /** The message in a file of its own in {@code tmp/}, not yet forced. A stream that breaks leaves no file. */
    private Path writeToTmp(String fileName, InputStream mime) throws IOException {
        Path tmp = root.resolve("tmp").resolve(fileName + OWN_TMP + RUN + "." + WRITTEN.incrementAndGet());
        // outside the try: a name taken is never another's file to delete
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (channel) {
            write(mime, channel);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Forces the file in tmp/ to disk and links it into new/ under its name (see {@link #deliver}). */
    private Path settle(Path tmp, String fileName) throws IOException {
        try {
            forcer.force(tmp);
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

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
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

    /**
     * Writes the message to {@code tmp/} as it arrives and returns that file; forcing it and linking it into
     * {@code new/} go on beside the next message's fetch. Waits only when {@value #SETTLING_AT_MOST} of this
     * Maildir's messages are still on their way.
     */
    @Override
    public Path receive(Envelope envelope, InputStream mime) throws IOException {
        Path tmp = writeToTmp(envelope.fileName(), mime);
        try {
            settlingRoom.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(tmp);
            throw new IOException("interrupted while " + tmp + " waited to be forced to disk", e);
        }
        settling.put(tmp, Settlers.POOL.submit(() -> {
            try {
                return settle(tmp, envelope.fileName());
            } finally {
                settlingRoom.release();
            }
        }));
        return tmp;
    }

    /** Accepted once the message is forced to disk and in {@code new/}; a failure to do so is this call's. */
    @Override
    public Handover handOver(Envelope envelope, Path received) throws IOException {
        awaitSettled(received);
        return Handover.accepted();
    }

    /**
     * Lets the message's way into {@code new/} finish: once there, unrecorded, it is recognised by its name at the
     * next poll, as after a crash.
     */
    @Override
    public void discard(Path received) {
        try {
            awaitSettled(received);
        } catch (IOException e) {
            LOG.debugf("%s, dropped, did not reach new/: %s", received, e.getMessage());
        }
    }

    private void awaitSettled(Path received) throws IOException {
        Future<Path> settled = settling.remove(received);
        if (settled == null) {
            return; // delivered by deliver(), or already waited for
        }
        try {
            settled.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + received + " to reach new/", e);
        }
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

    /**
     * Makes the renames into {@code new/} durable: call before recording what was delivered. Messages of a poll
     * that stopped before handing them over are let finish first.
     */
    @Override
    public void sync() throws IOException {
        for (Path received : List.copyOf(settling.keySet())) {
            discard(received);
        }
        forceDirectory(root.resolve("new"));
    }

    /** The threads that force and link for every Maildir: a few, so that forced writes overlap on the disk too. */
    private static final class Settlers {
        static final ExecutorService POOL = Executors.newFixedThreadPool(4, new ThreadFactory() {
            private final AtomicLong threads = new AtomicLong();

            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "maildir-force-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
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
