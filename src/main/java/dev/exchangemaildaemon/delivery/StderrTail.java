package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The last bytes a program writes to its standard error, read as it writes them: a chatty or looping program fills no
 * disk (a file would grow until the program ends or is killed) and never blocks on a full pipe.
 */
final class StderrTail {

    private final byte[] ring;
    private final Thread reader;
    private long written;

    private StderrTail(InputStream stderr, int bytes, String program) {
        this.ring = new byte[bytes];
        this.reader = new Thread(() -> drain(stderr), "stderr-" + program);
        reader.setDaemon(true); // a child left running may hold the pipe open after the program ended
        reader.start();
    }

    /** Starts reading the stream, keeping its last {@code bytes}. */
    static StderrTail drain(InputStream stderr, int bytes, String program) {
        return new StderrTail(stderr, bytes, program);
    }

    private void drain(InputStream stderr) {
        byte[] buffer = new byte[8192];
        try (stderr) {
            for (int n; (n = stderr.read(buffer)) > 0; ) {
                keep(buffer, n);
            }
        } catch (IOException ended) {
            // the program is gone, or was killed: what was kept is all there is
        }
    }

    private synchronized void keep(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (written++ % ring.length)] = buffer[i];
        }
    }

    /** The kept bytes, in order, once the stream ended or {@code wait} passed (a child may keep it open). */
    byte[] bytes(Duration wait) throws InterruptedException {
        reader.join(wait.toMillis());
        synchronized (this) {
            int kept = (int) Math.min(written, ring.length);
            byte[] bytes = new byte[kept];
            for (int i = 0; i < kept; i++) {
                bytes[i] = ring[(int) ((written - kept + i) % ring.length)];
            }
            return bytes;
        }
    }
}
