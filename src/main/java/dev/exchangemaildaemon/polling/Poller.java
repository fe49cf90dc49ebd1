package dev.exchangemaildaemon.polling;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.MailboxConfig;
import dev.exchangemaildaemon.config.FolderSettings;
import dev.exchangemaildaemon.delivery.MailboxFiles;
import dev.exchangemaildaemon.delivery.StateLock;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Polls every enabled mailbox on its interval, the first time right after startup. A tick every few
 * seconds starts the polls that are due on a small pool of workers; mailboxes are polled independently,
 * so one that fails or hangs does not hold up the others.
 */
@ApplicationScoped
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** A due mailbox waiting longer than this for a worker means the workers do not keep up. */
    private static final Duration LATE = Duration.ofSeconds(30);
    /** The failure reason of a poll ended by a bug rather than by Exchange or the disk. */
    private static final String UNEXPECTED = "UNEXPECTED";
    /** The MDC key of the mailbox being polled. */
    public static final String MDC_MAILBOX = "mailbox";

    private final MailConfig config;
    private final MailboxConnector connector;
    private final EntraTokens tokens;
    private final Clock clock;
    private final PollMetrics metrics;
    private final PollProgress progress;
    private final Map<String, PolledMailbox> mailboxes = new LinkedHashMap<>();
    private final DeliveryTargets targets;
    private final String hostName = maildirHostName();
    private volatile ExecutorService workers;
    private volatile Instant lastBehindWarning;
    private StateLock stateLock;

    private final boolean scheduled;

    Poller(MailConfig config, MailboxConnector connector, EntraTokens tokens, Clock clock, PollMetrics metrics,
            @ConfigProperty(name = "quarkus.scheduler.enabled", defaultValue = "true") boolean scheduled) {
        this.metrics = metrics;
        this.config = config;
        this.connector = connector;
        this.tokens = tokens;
        this.clock = clock;
        this.scheduled = scheduled;
        this.progress = new PollProgress(clock);
        this.targets = new DeliveryTargets(config.incoming().maxCommands(), config.incoming().maildir(),
                config.incoming().stateDir());
    }

    /**
     * Registers the enabled mailboxes. The daemon (the scheduler on) takes the state directory's lock at once, so
     * that a second daemon on the same state fails to start. Without the scheduler (the admin commands, and tests)
     * nothing is opened here: the lock, the Maildirs and the delivery records are opened by the first poll, and a
     * command that never polls never touches them.
     */
    void start(@Observes @Priority(100) StartupEvent event) throws IOException {
        Instant now = clock.instant();
        List<MailboxConfig> configured = config.incoming().mailboxes();
        for (int i = 0; i < configured.size(); i++) {
            MailboxConfig mailbox = configured.get(i);
            if (mailbox.enabled()) {
                List<FolderSettings> settings = FolderSettings.of(config.incoming(), mailbox, i);
                List<PolledFolder> folders = settings.stream().map(PolledFolder::new).toList();
                mailboxes.put(MailboxFiles.name(mailbox.address()), new PolledMailbox(mailbox, folders, now));
                Map<String, Path> maildirs = new LinkedHashMap<>();
                settings.forEach(folder -> targets.maildirOf(folder, mailbox.address())
                        .ifPresent(maildir -> maildirs.put(folder.name(), maildir)));
                metrics.watch(MailboxFiles.name(mailbox.address()), maildirs);
            }
        }
        if (scheduled) {
            try {
                lockState();
            } catch (StateLock.StateLockedException e) {
                LOG.error(e.getMessage());
                throw e;
            }
        }
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.min(config.incoming().parallelPolls(), mailboxes.size()), task -> {
            Thread thread = new Thread(task, "poll-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        LOG.infof("Polling %d mailbox(es) every %s into %s", mailboxes.size(), config.incoming().pollInterval(),
                config.incoming().maildir().toAbsolutePath());
        if (scheduled) {
            tick(); // the first poll right away, not one tick later
        }
    }

    /** Takes the state directory's lock, once; every poll goes through here first. */
    private synchronized void lockState() throws IOException {
        if (stateLock == null) {
            stateLock = StateLock.acquire(config.incoming().stateDir());
        }
    }

    /**
     * Stops the polls, then gives the state directory's lock up. Later than the default priority, so that the
     * outgoing mail (its records are in the state directory too) has stopped before another daemon may take over.
     */
    void stop(@Observes @Priority(3000) ShutdownEvent event) throws InterruptedException, IOException {
        if (workers == null) {
            return;
        }
        workers.shutdown();
        if (!workers.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            LOG.warnf("Polls still running after %s; stopping them (nothing half-written reaches new/)", SHUTDOWN_GRACE);
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (PolledMailbox mailbox : mailboxes.values()) {
            mailbox.closeState();
        }
        synchronized (this) {
            if (stateLock != null) {
                stateLock.close();
                stateLock = null;
            }
        }
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledTick() {
        tick();
    }

    private void tick() {
        ExecutorService pool = workers;
        if (pool == null || pool.isShutdown()) {
            return; // not started yet, or stopping
        }
        progress.started();
        Instant now = clock.instant();
        Duration mostLate = Duration.ZERO;
        int late = 0;
        for (PolledMailbox mailbox : mailboxes.values()) {
            Duration lateness = mailbox.lateness(now);
            // the first round after startup, with every mailbox due at once, is a burst, not falling behind
            boolean polledBefore = mailbox.status().lastAttempt().isPresent();
            if (lateness.compareTo(LATE) > 0 && !mailbox.polling.isLocked() && polledBefore) {
                late++;
                mostLate = lateness.compareTo(mostLate) > 0 ? lateness : mostLate;
            }
            if (mailbox.isDue(now) && !mailbox.polling.isLocked() && mailbox.queued.compareAndSet(false, true)) {
                pool.execute(() -> {
                    mailbox.queued.set(false);
                    if (mailbox.isDue(clock.instant()) && mailbox.polling.tryLock()) {
                        poll(mailbox);
                    }
                });
            }
        }
        metrics.lateness(mostLate);
        warnIfBehind(now, late, mostLate);
    }

    /** Once per interval at most: the polls do not keep up, and what to change. */
    private void warnIfBehind(Instant now, int late, Duration mostLate) {
        Duration interval = config.incoming().pollInterval();
        if (late == 0 || lastBehindWarning != null && now.isBefore(lastBehindWarning.plus(interval))) {
            return;
        }
        lastBehindWarning = now;
        LOG.warnf("Polls are falling behind: %d of %d mailboxes have waited more than %d s for a free poll worker"
                + " (the longest %d s); mail.incoming.parallel-polls is %d: raise it, or lengthen"
                + " mail.incoming.poll-interval", late, mailboxes.size(), LATE.toSeconds(), mostLate.toSeconds(),
                config.incoming().parallelPolls());
    }

    /** Polls one mailbox now and returns its status; if a poll of it is running, starts once that ends. */
    public MailboxStatus pollNow(String address) {
        PolledMailbox mailbox = mailboxes.get(MailboxFiles.name(address));
        if (mailbox == null) {
            throw new IllegalArgumentException("no enabled mailbox " + address + " in mail.incoming.mailboxes");
        }
        mailbox.polling.lock();
        poll(mailbox);
        return mailbox.status();
    }

    /** When the poller last made progress, for the liveness check. */
    public PollProgress progress() {
        return progress;
    }

    public List<MailboxStatus> statuses() {
        List<MailboxStatus> statuses = new ArrayList<>();
        mailboxes.values().forEach(mailbox -> statuses.add(mailbox.status()));
        return statuses;
    }

    public Optional<MailboxStatus> status(String address) {
        return Optional.ofNullable(mailboxes.get(MailboxFiles.name(address))).map(PolledMailbox::status);
    }

    /** Runs one poll; the caller holds the mailbox's lock, which is released here. */
    private void poll(PolledMailbox mailbox) {
        String address = mailbox.config.address();
        Duration interval = config.incoming().pollInterval();
        Instant started = clock.instant();
        // every line logged during the poll names its mailbox, as a field of JSON logs too
        MDC.put(MDC_MAILBOX, address);
        try {
            try {
                lockState();
                mailbox.openState(targets, config.incoming().stateDir());
            } catch (IOException e) {
                // Only this mailbox stops; its health says why, and each retry opens it again.
                fail(mailbox, started, MailboxException.LOCAL_DELIVERY,
                        "cannot open its delivery target or delivery record: " + e.getMessage(), null);
                return;
            }
            Mailbox remote = connector.connect(address,
                    tokens.forUser(mailbox.config.effectiveUsername(), mailbox.config.password().orElse("")));
            PollOutcome outcome = pollFolders(mailbox, remote);
            Instant finished = clock.instant();
            mailbox.succeeded(started, finished, outcome, interval);
            metrics.succeeded(MailboxFiles.name(address), outcome, Duration.between(started, finished), finished);
            LOG.infof("%s: %d unread, %d delivered, %d %s, %d skipped, in %d ms", address, outcome.unread(),
                    outcome.delivered(), outcome.actioned(), pastTense(config.incoming().afterDelivery()),
                    outcome.itemFailures(), Duration.between(started, clock.instant()).toMillis());
        } catch (MailboxException e) {
            fail(mailbox, started, e.code(), e.getMessage(), e.backOff().orElse(null));
        } catch (IOException e) {
            fail(mailbox, started, MailboxException.LOCAL_DELIVERY, "local delivery failed: " + e, null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: poll failed unexpectedly", address);
            fail(mailbox, started, UNEXPECTED, "unexpected: " + e, null);
        } finally {
            progress.made();
            metrics.setAside(MailboxFiles.name(address), mailbox.setAsideNames().size());
            mailbox.polling.unlock();
            MDC.remove(MDC_MAILBOX);
        }
    }

    /**
     * Polls the mailbox's folders one after the other, each into its own target, and adds up what they did. A folder
     * that fails does not stop the next; the poll then fails with the first folder's error, naming the folder when
     * there are several.
     */
    private PollOutcome pollFolders(PolledMailbox mailbox, Mailbox remote) throws MailboxException, IOException {
        PollOutcome total = null;
        Exception first = null;
        String failedFolder = null;
        for (PolledFolder folder : mailbox.folders) {
            try {
                PollOutcome outcome = new MailboxPoll(remote, folder.settings.name(), folder.target, mailbox.log(),
                        config.incoming().afterDelivery(), config.incoming().moveToFolder(), hostName,
                        folder.setAside, progress).run();
                total = total == null ? outcome : total.plus(outcome);
            } catch (MailboxException | IOException e) {
                if (mailbox.folders.size() == 1) {
                    throw e;
                }
                LOG.warnf("%s: folder %s: %s", mailbox.config.address(), folder.settings.name(), e.getMessage());
                if (first == null) {
                    first = e;
                    failedFolder = folder.settings.name();
                }
            }
        }
        if (first instanceof MailboxException e) {
            throw e.in("folder " + failedFolder);
        }
        if (first != null) {
            throw new IOException("folder " + failedFolder + ": " + first.getMessage(), first);
        }
        return total;
    }

    private void fail(PolledMailbox mailbox, Instant started, String reason, String error, Duration serverBackOff) {
        Instant now = clock.instant();
        mailbox.failed(now, error, config.incoming().pollInterval(), serverBackOff);
        metrics.failed(MailboxFiles.name(mailbox.config.address()), reason, Duration.between(started, now));
        LOG.warnf("%s: poll failed: %s", mailbox.config.address(), error);
    }

    private static String pastTense(MailConfig.AfterDelivery action) {
        return switch (action) {
            case MARK_READ -> "marked read";
            case MOVE -> "moved";
            case DELETE -> "deleted";
            case KEEP -> "kept";
        };
    }

    /** The host part of Maildir file names, with '/' and ':' encoded as the Maildir convention asks. */
    private static String maildirHostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "localhost";
        }
        return name.replace("/", "\\057").replace(":", "\\072");
    }
}
