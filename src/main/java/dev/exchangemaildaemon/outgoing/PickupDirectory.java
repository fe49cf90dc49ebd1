package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.delivery.DeliveryKey;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The pickup directory ({@code mail.outgoing.pickup}), laid out as a Maildir: software writes a complete .eml to
 * {@code tmp/} and renames it into {@code new/}; each round sends every file there from the mailbox in its From
 * header, then moves it to {@code sent/}, or on a permanent refusal to {@code failed/} beside a {@code .reason}
 * file named after it. A transient failure (throttled, unreachable) leaves it in {@code new/} for the next round.
 *
 * <p>Software that writes straight into {@code new/} is served too: a file is taken only once it has stayed
 * unchanged for {@code mail.outgoing.pickup-settle}. A symbolic link is never followed (the daemon would read the
 * target with its own rights): it goes to {@code failed/} as it is.
 *
 * <p>Exactly once across crashes: once Exchange has accepted a file, that is forced to a record in the state
 * directory before the file is moved, so a file found in {@code new/} after a crash between the two is moved,
 * not sent again. Only a crash in the instant between Exchange's answer and the record can send one twice. When
 * the record cannot be written (disk full, I/O error), the file is moved all the same, and if that fails too this
 * process keeps its key in memory: what Exchange accepted is never sent again because the record failed.
 */
@ApplicationScoped
public class PickupDirectory {

    private static final Logger LOG = Logger.getLogger(PickupDirectory.class);

    /** A file as a look in {@code new/} found it, and since when this process knows it unchanged. */
    private record Look(long size, Instant modified, Instant unchangedSince) {
    }

    private final MailConfig config;
    private final OutgoingSender sender;
    private final OutgoingStatus status;
    private final Clock clock;
    private final boolean adminCommand;
    private DeliveryLog accepted;
    /** Keys of files Exchange accepted whose record could not be written and that could not be moved either. */
    private final Set<String> acceptedUnrecorded = new HashSet<>();
    /** The files in {@code new/} at the last look. */
    private Map<Path, Look> looks = new HashMap<>();

    PickupDirectory(MailConfig config, OutgoingSender sender, OutgoingStatus status, Clock clock,
            @ConfigProperty(name = "exchange-mail-daemon.admin-command", defaultValue = "false") boolean adminCommand) {
        this.config = config;
        this.sender = sender;
        this.status = status;
        this.clock = clock;
        this.adminCommand = adminCommand;
    }

    void start(@Observes @Priority(150) StartupEvent event) throws IOException {
        Optional<Path> dir = config.outgoing().pickup();
        // An admin command beside the running daemon must not open the daemon's record (one writer per state).
        if (dir.isEmpty() || adminCommand) {
            return;
        }
        for (String sub : List.of("tmp", "new", "sent", "failed")) {
            Files.createDirectories(dir.get().resolve(sub));
        }
        accepted = DeliveryLog.open(config.incoming().stateDir().resolve("outgoing-pickup.sent"));
        LOG.infof("Pickup directory %s, looked at every %s", dir.get().toAbsolutePath(),
                config.outgoing().pickupInterval());
    }

    synchronized void stop(@Observes ShutdownEvent event) throws IOException {
        if (accepted != null) {
            accepted.close();
            accepted = null;
        }
    }

    /** The record of what Exchange accepted, open while the daemon runs (tests make its writes fail). */
    DeliveryLog acceptedRecord() {
        return accepted;
    }

    @Scheduled(every = "${mail.outgoing.pickup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (accepted != null) {
            runOnce();
        }
    }

    /** One round: every file now in {@code new/} that has settled, oldest name first; the number sent. */
    public synchronized int runOnce() {
        Path dir = config.outgoing().pickup().orElseThrow(() -> new IllegalStateException("mail.outgoing.pickup is not set"));
        List<Path> waiting;
        try {
            waiting = waiting(dir.resolve("new"));
        } catch (IOException e) {
            LOG.warnf("Cannot read the pickup directory %s: %s", dir.resolve("new"), e);
            return 0;
        }
        status.queued(OutgoingChannel.PICKUP, waiting.size());
        Map<Path, Look> previous = looks;
        looks = new HashMap<>();
        int sent = 0;
        for (Path file : waiting) {
            try {
                if (Files.isSymbolicLink(file)) {
                    fail(dir, file, refused(new SendRefusal(554, "5.7.1", "a symbolic link: only files written"
                            + " into the pickup directory are sent, never what a link points at")));
                } else {
                    Look look = look(file, previous);
                    if (settled(look) && take(dir, file, look)) {
                        sent++;
                    }
                }
            } catch (IOException e) {
                LOG.warnf("pickup: %s stays in new/: %s", file.getFileName(), e);
            }
        }
        try {
            status.queued(OutgoingChannel.PICKUP, waiting(dir.resolve("new")).size());
        } catch (IOException e) {
            // counted at the next round
        }
        return sent;
    }

    /**
     * Whether the file has stayed unchanged for {@code mail.outgoing.pickup-settle}, so that one still being
     * written is not sent half (or without its headers). Unchanged since its last-modified time, which every write
     * moves: one look decides, so a file renamed in from {@code tmp/} waits no extra round. The daemon's own looks
     * stand in where that time cannot be trusted: a file dated ahead of the clock (a writer on another host) counts
     * from the look that first saw it so, and one whose size changed under an unchanged time (a writer that sets the
     * time) from the look that saw the change. A writer that pauses longer than the settle time needs a longer one,
     * or tmp/.
     */
    private boolean settled(Look look) {
        return !look.unchangedSince().isAfter(clock.instant().minus(config.outgoing().pickupSettle()));
    }

    /** The file as this look finds it, kept for the next round's; its size and time also name it in the record. */
    private Look look(Path file, Map<Path, Look> previous) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        Instant now = clock.instant();
        Instant modified = attributes.lastModifiedTime().toInstant();
        Look before = previous.get(file);
        Look look;
        if (before != null && before.size() == attributes.size() && before.modified().equals(modified)) {
            look = before;
        } else {
            boolean timeUntrusted = modified.isAfter(now) || before != null && before.modified().equals(modified);
            look = new Look(attributes.size(), modified, timeUntrusted ? now : modified);
        }
        looks.put(file, look);
        return look;
    }

    /** Sends the file unless Exchange has it already, and moves it on; true if it went to sent/. */
    private boolean take(Path dir, Path file, Look look) throws IOException {
        String name = file.getFileName().toString();
        // Name, size and time together: software that reuses a name for a later message still gets it sent.
        String key = DeliveryKey.hashed("pickup:" + name + "|" + look.size() + "|" + look.modified().toEpochMilli());
        boolean recorded = true;
        if (!acceptedUnrecorded.contains(key) && accepted.state(key) == null) {
            try {
                send(file, look.size(), key);
            } catch (SendRefusal refusal) {
                if (refusal.permanent()) {
                    fail(dir, file, refusal);
                }
                return false;
            }
            recorded = record(name, key);
        }
        try {
            moveTo(dir.resolve("sent"), file);
        } catch (IOException e) {
            if (!recorded) {
                acceptedUnrecorded.add(key);
            }
            throw e;
        }
        acceptedUnrecorded.remove(key);
        if (recorded) {
            try {
                accepted.done(List.of(key));
            } catch (IOException e) {
                // The file is out of new/, so it cannot be taken again: only the record's tidiness is lost.
                LOG.warnf("pickup: %s is in sent/, but the record could not say so: %s", name, e);
            }
        }
        return true;
    }

    private void send(Path file, long size, String key) throws IOException, SendRefusal {
        MimeHeaderBlock headers = MimeHeaderBlock.read(file);
        if (!headers.complete()) {
            throw refused(new SendRefusal(552, "5.3.4", "the header block does not end within the first "
                    + MimeHeaderBlock.MAX_HEADER_BYTES + " bytes, the limit on a message's headers"));
        }
        Optional<String> from = headers.sender();
        if (from.isEmpty()) {
            throw refused(new SendRefusal(550, "5.1.7", "the message has no From header naming its sender"));
        }
        sender.send(OutgoingChannel.PICKUP, from.get(), file, size,
                headers.messageId().map(id -> new MessageKey(key, id)));
    }

    /** A refusal of the daemon's own, before Exchange, counted as Exchange's are. */
    private SendRefusal refused(SendRefusal refusal) {
        status.refused(OutgoingChannel.PICKUP, refusal);
        return refusal;
    }

    /** Records that Exchange accepted the file; false, logged, if the record cannot be written. */
    private boolean record(String name, String key) {
        try {
            accepted.delivered(List.of(key));
            return true;
        } catch (IOException e) {
            LOG.errorf("pickup: Exchange accepted %s, but the record %s could not be written (%s): the file is moved"
                    + " to sent/ without it, so that it is not sent again", name, config.incoming().stateDir()
                    .resolve("outgoing-pickup.sent"), e);
            return false;
        }
    }

    /** Moves the file to failed/, and beside it, under the name it got there, the reason. */
    private void fail(Path dir, Path file, SendRefusal refusal) throws IOException {
        Path moved = moveTo(dir.resolve("failed"), file);
        Files.writeString(moved.resolveSibling(moved.getFileName() + ".reason"),
                refusal.smtpCode() + " " + refusal.reply() + "\n", StandardCharsets.UTF_8);
        LOG.warnf("pickup: %s moved to failed/ as %s: %d %s", file.getFileName(), moved.getFileName(),
                refusal.smtpCode(), refusal.reply());
    }

    /** Moves the file into the directory under its name, or if that is taken a unique one; the path it got. */
    private static Path moveTo(Path target, Path file) throws IOException {
        Path moved = target.resolve(file.getFileName());
        if (Files.exists(moved, LinkOption.NOFOLLOW_LINKS)) {
            moved = target.resolve(file.getFileName() + "." + System.nanoTime());
        }
        Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
        return moved;
    }

    /**
     * The regular files and symbolic links in {@code new/} (a link is not followed to see what it is), not hidden
     * ones, sorted by name (Maildir names start with the time).
     */
    private static List<Path> waiting(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if ((Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(entry))
                        && !entry.getFileName().toString().startsWith(".")) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        return files;
    }
}
