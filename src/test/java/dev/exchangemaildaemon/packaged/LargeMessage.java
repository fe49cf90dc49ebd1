package dev.exchangemaildaemon.packaged;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A valid MIME message of a given size, built in memory: a short text part and a base64 attachment of
 * pseudo-random bytes (the same for the same seed), in lines of 76 characters ending in CRLF.
 */
record LargeMessage(byte[] mime, String sha256) {

    private static final int RAW_PER_LINE = 57;
    private static final int LINE = 78; // 76 base64 characters and CRLF

    /** A message of about {@code bytes} bytes (within a line), addressed to {@code to}. */
    static LargeMessage of(String to, long bytes, long seed) {
        String boundary = "----=_Part_" + seed + "_large";
        byte[] head = ("Message-ID: <large-" + seed + "@scanner.example>\r\n"
                + "From: Scanner <scanner@supplier.example>\r\n"
                + "To: " + to + "\r\n"
                + "Subject: Scanned archive " + seed + "\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "The archive is attached.\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream; name=\"archive.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"archive.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long lines = Math.max(1, (bytes - head.length - tail.length) / LINE);
        if (head.length + lines * LINE + tail.length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too large for one array: " + bytes);
        }
        byte[] mime = new byte[(int) (head.length + lines * LINE + tail.length)];
        System.arraycopy(head, 0, mime, 0, head.length);
        SplittableRandom random = new SplittableRandom(seed);
        Base64.Encoder encoder = Base64.getEncoder();
        byte[] raw = new byte[RAW_PER_LINE];
        byte[] encoded = new byte[LINE];
        encoded[LINE - 2] = '\r';
        encoded[LINE - 1] = '\n';
        int at = head.length;
        for (long line = 0; line < lines; line++) {
            random.nextBytes(raw);
            encoder.encode(raw, encoded);
            System.arraycopy(encoded, 0, mime, at, LINE);
            at += LINE;
        }
        System.arraycopy(tail, 0, mime, at, tail.length);
        return new LargeMessage(mime, sha256(mime));
    }

    /** The SHA-256 of a file, read in chunks. */
    static String sha256(Path file) {
        return sha256(file, 0);
    }

    /** The SHA-256 of a file after its first bytes (what a target put in front), read in chunks. */
    static String sha256(Path file, long skip) {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(skip);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) != -1;) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
