package dev.exchangemaildaemon.polling;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * When the poller last made progress: a poll ended (whatever its outcome), or bytes of a message arrived. The
 * liveness check reads it: a poller that makes none for long is stuck, and a restart is what helps.
 */
public final class PollProgress {

    private final Clock clock;
    private volatile Instant last;

    public PollProgress(Clock clock) {
        this.clock = clock;
    }

    public void made() {
        last = clock.instant();
    }

    /** Marks the start, if nothing was recorded yet: the time from which the absence of progress counts. */
    void started() {
        if (last == null) {
            made();
        }
    }

    /** Empty until polling has started. */
    public Optional<Instant> last() {
        return Optional.ofNullable(last);
    }
}
