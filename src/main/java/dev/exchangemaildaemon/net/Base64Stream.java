package dev.exchangemaildaemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * Reads another stream as base64 (no line breaks), a chunk at a time, so that a large file can go into a request
 * body encoded without being held in memory (EWS MimeContent, Graph sendMail).
 */
public final class Base64Stream extends InputStream {

    /** A multiple of 3, so that only the last chunk carries padding. */
    private static final int CHUNK = 3 * 16 * 1024;

    private final InputStream raw;
    private byte[] encoded = new byte[0];
    private int position;
    private boolean ended;

    public Base64Stream(InputStream raw) {
        this.raw = raw;
    }

    /** The length of the base64 text for that many bytes. */
    public static long encodedLength(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == encoded.length) {
            if (ended) {
                return -1;
            }
            byte[] chunk = raw.readNBytes(CHUNK);
            ended = chunk.length < CHUNK;
            encoded = Base64.getEncoder().encode(chunk);
            position = 0;
            if (encoded.length == 0) {
                return -1;
            }
        }
        int count = Math.min(length, encoded.length - position);
        System.arraycopy(encoded, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
