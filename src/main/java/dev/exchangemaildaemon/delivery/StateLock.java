package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive hold of one process on a state directory: two daemons on one state would poll the same
 * mailboxes and write the same Maildirs and records. The lock file holds the holder's pid, so that the
 * second one can say who holds it. The operating system releases the lock when the holder dies, even by
 * SIGKILL, so a stale lock file never blocks a restart.
 */
public final class StateLock implements AutoCloseable {

    public static final String FILE_NAME = "exchange-mail-daemon.lock";

    /**
     * The lock files held by this JVM. A lock is held per process, and closing any channel on the file would
     * drop it (POSIX), so a second attempt in the same JVM is refused here, before a channel is opened.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;

    private StateLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Takes the lock at once or fails, naming the lock file and the pid that holds it. */
    public static StateLock acquire(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            throw new StateLockedException(file, Long.toString(ProcessHandle.current().pid()) + " (this process)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StateLockedException(file, holder(channel));
            }
            channel.truncate(0);
            ByteBuffer pid = ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
            for (long at = 0; pid.hasRemaining();) {
                at += channel.write(pid, at);
            }
            channel.force(false);
            return new StateLock(file, channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD.remove(file);
            throw e;
        }
    }

    /** The pid written by the holder; the holder may be writing it right now, so an empty file says so. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(32);
        channel.read(content, 0);
        String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).trim();
        return pid.isEmpty() ? "unknown (starting)" : pid;
    }

    public Path file() {
        return file;
    }

    /** Releases the lock; the file stays, and the next holder overwrites the pid. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            HELD.remove(file);
        }
    }

    /** Another process (or this one) holds the state directory. */
    public static final class StateLockedException extends IOException {

        StateLockedException(Path file, String holder) {
            super("the state directory is in use by another exchange-mail-daemon: " + file + " is locked by pid "
                    + holder + ". Two daemons on one state would poll the same mailboxes; stop the other one, or give"
                    + " this one its own mail.incoming.state-dir and mail.incoming.maildir");
        }
    }
}
