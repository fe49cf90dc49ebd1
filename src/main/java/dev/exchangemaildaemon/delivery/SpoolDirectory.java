package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a command or LMTP target keeps a message between its fetch and its hand-over: one file per message in the
 * state directory, streamed to disk as it arrives, so that a 150 MB message is never held whole and the target gets
 * only whole messages. Not forced to disk: a message lost here by a crash was never handed over nor recorded, and is
 * fetched again. What a crash left is removed when the spool is opened.
 */
public final class SpoolDirectory {

    /** Makes each file's name unique, also across the folders of one mailbox, which share its spool. */
    private static final AtomicLong WRITTEN = new AtomicLong();

    private final Path root;

    private SpoolDirectory(Path root) {
        this.root = root;
    }

    public static SpoolDirectory open(Path root) throws IOException {
        Files.createDirectories(root);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        return new SpoolDirectory(root);
    }

    /**
     * Writes the message to a file of its own, named after it; a stream that breaks leaves no file. Two messages of
     * one name (one delivery key) are both fetched before either is handed over, so a name is never reused.
     */
    public Path write(String name, InputStream mime) throws IOException {
        Path file = root.resolve(name + "." + WRITTEN.incrementAndGet());
        // outside the try: a name taken is never another's file to delete
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (out) {
            mime.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    Path root() {
        return root;
    }
}
