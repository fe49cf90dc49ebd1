package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A message copied from a client's stream to a file, so that a large one never sits in memory and can be sent
 * (and, if Exchange throttles, sent again) from disk. The file is deleted on close. Spooled under the state
 * directory, not /tmp, which may be a RAM-backed tmpfs.
 */
final class SpooledMessage implements AutoCloseable {

    private final Path file;
    private final long size;
    private final byte[] digest;

    private SpooledMessage(Path file, long size, byte[] digest) {
        this.file = file;
        this.size = size;
        this.digest = digest;
    }

    /**
     * Copies the stream to a new file in {@code dir}. A message over {@code limit} bytes is read to its end (so the
     * client is ready for the reply) but not kept.
     */
    static SpooledMessage of(InputStream in, Path dir, long limit) throws IOException, SendRefusal {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "smtp-", ".eml");
        long size = 0;
        boolean kept = false;
        MessageDigest sha256 = sha256();
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    size += read;
                    if (size <= limit) {
                        out.write(buffer, 0, read);
                        sha256.update(buffer, 0, read);
                    }
                }
            }
            if (size > limit) {
                throw SendRefusal.tooLarge(size, limit);
            }
            kept = true;
            return new SpooledMessage(file, size, sha256.digest());
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The same message with a Bcc header in front naming recipients that the envelope has and the headers do not
     * (software that sends blind copies leaves them out of the headers, as it should): Exchange sends to the
     * headers' recipients, and leaves Bcc out of what they receive. This one is closed.
     */
    SpooledMessage withBcc(List<String> recipients) throws IOException {
        Path copy = Files.createTempFile(file.getParent(), "smtp-", ".eml");
        try (OutputStream out = Files.newOutputStream(copy); InputStream in = Files.newInputStream(file)) {
            out.write(("Bcc: " + String.join(", ", recipients) + "\r\n").getBytes(StandardCharsets.UTF_8));
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        close();
        return new SpooledMessage(copy, Files.size(copy), digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    /**
     * The SHA-256 of the bytes as the client sent them, taken while they were spooled (so the file is not read a
     * second time); a Bcc header added since is not part of it.
     */
    byte[] digest() {
        return digest.clone();
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
