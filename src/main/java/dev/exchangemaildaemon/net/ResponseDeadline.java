package dev.exchangemaildaemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a response that is still being read when the request's time is up. The HTTP client's own timeout stops at
 * the response headers; closing the body makes a read that is stalled mid-stream fail instead of hanging. Shared
 * by the EWS and Graph clients.
 */
public final class ResponseDeadline implements AutoCloseable {

    private final ScheduledFuture<?> cutoff;
    private volatile boolean expired;

    public ResponseDeadline(ScheduledExecutorService scheduler, InputStream body, long remainingNanos) {
        this.cutoff = scheduler.schedule(() -> {
            expired = true;
            try {
                body.close();
            } catch (IOException e) {
                // the reading thread sees the stream end either way
            }
        }, Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
    }

    public boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        cutoff.cancel(false);
    }

    public static long remaining(Duration timeout, long startedNanos) {
        return timeout.toNanos() - (System.nanoTime() - startedNanos);
    }
}
