package dev.exchangemaildaemon.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a response that is still being read when its time is up. The HTTP client's own timeout stops at the response
 * headers; closing the body makes a read that is stalled mid-stream fail instead of hanging. Shared by the EWS and
 * Graph clients, in one of two kinds:
 * <ul>
 * <li>{@link #whole}: the body must be read by a fixed time. For answers of bounded size (lists, errors, results).
 * <li>{@link #idle}: the body fails only when no byte has come for the idle time, however long it takes in all.
 * For message bodies: a 150 MB message on a slow link takes longer than any fixed deadline meant for the rest,
 * and must still complete, while a stalled one fails.
 * </ul>
 * Read the body through {@link #body()}.
 */
public final class ResponseDeadline implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final InputStream body;
    private final long idleNanos;
    private volatile long lastProgress = System.nanoTime();
    private volatile ScheduledFuture<?> cutoff;
    private volatile boolean expired;
    private volatile boolean closed;

    private ResponseDeadline(ScheduledExecutorService scheduler, InputStream body, long idleNanos) {
        this.scheduler = scheduler;
        this.body = idleNanos > 0 ? new Progress(body) : body;
        this.idleNanos = idleNanos;
    }

    /** The body must be read within {@code remainingNanos} from now. */
    public static ResponseDeadline whole(ScheduledExecutorService scheduler, InputStream body, long remainingNanos) {
        ResponseDeadline deadline = new ResponseDeadline(scheduler, body, 0);
        deadline.cutoff = scheduler.schedule(deadline::expire, Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
        return deadline;
    }

    /** The body fails when {@code idle} passes with no byte read from it. */
    public static ResponseDeadline idle(ScheduledExecutorService scheduler, InputStream body, Duration idle) {
        ResponseDeadline deadline = new ResponseDeadline(scheduler, body, Math.max(1, idle.toNanos()));
        deadline.cutoff = scheduler.schedule(deadline::checkProgress, deadline.idleNanos, TimeUnit.NANOSECONDS);
        return deadline;
    }

    /** The body to read, which closes when the time is up. */
    public InputStream body() {
        return body;
    }

    public boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        closed = true;
        cutoff.cancel(false);
    }

    public static long remaining(Duration timeout, long startedNanos) {
        return timeout.toNanos() - (System.nanoTime() - startedNanos);
    }

    /** Ends the body if it has been idle for the idle time, else looks again when it would have been. */
    private void checkProgress() {
        long idleFor = System.nanoTime() - lastProgress;
        if (idleFor >= idleNanos) {
            expire();
            return;
        }
        cutoff = scheduler.schedule(this::checkProgress, idleNanos - idleFor, TimeUnit.NANOSECONDS);
        if (closed) {
            cutoff.cancel(false);
        }
    }

    private void expire() {
        if (closed) {
            return;
        }
        expired = true;
        try {
            body.close();
        } catch (IOException e) {
            // the reading thread sees the stream end either way
        }
    }

    /** Notes each time bytes arrive. */
    private final class Progress extends FilterInputStream {

        Progress(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            int read = super.read();
            lastProgress = System.nanoTime();
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                lastProgress = System.nanoTime();
            }
            return read;
        }
    }
}
