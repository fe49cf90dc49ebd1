package dev.exchangemaildaemon.polling;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.exchangemaildaemon.config.MailConfig.MailboxConfig;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.MailboxFiles;

/** A configured mailbox with its folders and their delivery targets, delivery record, status and schedule. */
final class PolledMailbox {

    /** First retry after a failed poll; doubled for each further failure, up to the poll interval. */
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    /**
     * The longest server back-off honoured, and only up to one interval: EWS's BackOffMilliseconds may carry 18
     * digits and Retry-After a date years ahead, which would park the mailbox for as long.
     */
    static final Duration MAX_SERVER_BACK_OFF = Duration.ofHours(1);

    final MailboxConfig config;
    /** Opened by the first poll, under {@link #polling}; null until then. */
    private volatile DeliveryLog log;
    /** Held for the whole of a poll, so that polls of one mailbox never overlap. */
    final ReentrantLock polling = new ReentrantLock();
    /** Set while a poll waits for a worker, so that a backlog never queues the same mailbox twice. */
    final AtomicBoolean queued = new AtomicBoolean();
    /** The folders it polls, one after the other, each into its own target. */
    final List<PolledFolder> folders;
    private volatile MailboxStatus status;
    private volatile Instant nextDue;

    PolledMailbox(MailboxConfig config, Instant firstDue) {
        this(config, List.of(), firstDue);
    }

    PolledMailbox(MailboxConfig config, List<PolledFolder> folders, Instant firstDue) {
        this.config = config;
        this.folders = List.copyOf(folders);
        this.status = MailboxStatus.initial(config.address(), config.types().orElse(List.of()));
        this.nextDue = firstDue;
    }

    /**
     * Opens each folder's delivery target (cleaning up what a crash left in a Maildir's {@code tmp/} or a spool) and
     * the delivery record, unless open already. The caller holds {@link #polling} and the state directory's lock:
     * nothing else writes there.
     */
    void openState(DeliveryTargets targets, Path stateDir) throws IOException {
        if (log != null) {
            return;
        }
        for (PolledFolder folder : folders) {
            if (folder.target == null) {
                folder.target = targets.open(folder.settings, config.address());
            }
        }
        log = DeliveryLog.open(MailboxFiles.record(stateDir, config.address()));
    }

    /** The messages set aside in any of its folders (Message-ID, else item id). */
    List<String> setAsideNames() {
        return folders.stream().flatMap(folder -> folder.setAside.names().stream()).toList();
    }

    DeliveryLog log() {
        return log;
    }

    void closeState() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    MailboxStatus status() {
        return status;
    }

    boolean isDue(Instant now) {
        return !now.isBefore(nextDue);
    }

    /** How long the mailbox has been due without a poll starting; zero when it is not due. */
    Duration lateness(Instant now) {
        return isDue(now) ? Duration.between(nextDue, now) : Duration.ZERO;
    }

    /**
     * The next poll is due one interval after this one started, not after it ended, so that a mailbox is polled
     * once per interval however long its polls take. Counting from the start rather than from when it was due lets
     * the polls of many mailboxes, all due at once after startup, spread over the interval as they ran, instead of
     * coming due together again each interval. When the server refused some messages asking to wait longer than
     * that (throttling), the next poll waits as long, up to one more interval (at most an hour).
     */
    void succeeded(Instant started, Instant finished, PollOutcome outcome, Duration interval) {
        status = status.succeeded(finished, outcome.delivered(), setAsideNames(), outcome.targetRefusals());
        Instant next = started.plus(interval);
        Instant backedOff = finished.plus(capped(outcome.serverBackOff().orElse(Duration.ZERO), interval));
        nextDue = backedOff.isAfter(next) ? backedOff : next;
    }

    /**
     * A mailbox that keeps failing backs off exponentially, but is retried at least once per interval; a server
     * back-off is honoured up to one interval, at most an hour.
     */
    void failed(Instant at, String error, Duration interval, Duration serverBackOff) {
        status = status.failed(at, error, setAsideNames());
        int failures = Math.min(status.consecutiveFailures(), 20);
        Duration retry = FIRST_RETRY.multipliedBy(1L << (failures - 1));
        if (retry.compareTo(interval) > 0) {
            retry = interval;
        }
        if (serverBackOff != null && capped(serverBackOff, interval).compareTo(retry) > 0) {
            retry = capped(serverBackOff, interval);
        }
        nextDue = at.plus(retry);
    }

    private static Duration capped(Duration serverBackOff, Duration interval) {
        Duration ceiling = interval.compareTo(MAX_SERVER_BACK_OFF) < 0 ? interval : MAX_SERVER_BACK_OFF;
        return serverBackOff.compareTo(ceiling) > 0 ? ceiling : serverBackOff;
    }
}
