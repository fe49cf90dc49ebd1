package dev.exchangemaildaemon.graph;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a response body that is still being read when the request's time is up. The HTTP client's own timeout
 * stops at the response headers; closing the body makes a read stalled mid-stream fail instead of hanging.
 */
final class BodyDeadline implements AutoCloseable {

    private final ScheduledFuture<?> cutoff;
    private volatile boolean expired;

    BodyDeadline(ScheduledExecutorService scheduler, InputStream body, long remainingNanos) {
        this.cutoff = scheduler.schedule(() -> {
            expired = true;
            try {
                body.close();
            } catch (IOException e) {
                // the reading thread sees the stream end either way
            }
        }, Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
    }

    boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        cutoff.cancel(false);
    }
}
