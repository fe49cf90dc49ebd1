package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * file. A transient failure (throttled, unreachable) leaves it in {@code new/} for the next round.
 *
 * <p>Exactly once across crashes: once Exchange has accepted a file, that is forced to a record in the state
 * directory before the file is moved, so a file found in {@code new/} after a crash between the two is moved,
 * not sent again. Only a crash in the instant between Exchange's answer and the record can send one twice.
 */
@ApplicationScoped
public class PickupDirectory {

    private static final Logger LOG = Logger.getLogger(PickupDirectory.class);

    private final MailConfig config;
    private final OutgoingSender sender;
    private final OutgoingStatus status;
    private final boolean adminCommand;
    private DeliveryLog accepted;

    PickupDirectory(MailConfig config, OutgoingSender sender, OutgoingStatus status,
            @ConfigProperty(name = "exchange-mail-daemon.admin-command", defaultValue = "false") boolean adminCommand) {
        this.config = config;
        this.sender = sender;
        this.status = status;
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

    @Scheduled(every = "${mail.outgoing.pickup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (accepted != null) {
            runOnce();
        }
    }

    /** One round: every file now in {@code new/}, oldest name first; the number sent. */
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
        int sent = 0;
        for (Path file : waiting) {
            try {
                if (take(dir, file)) {
                    sent++;
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

    /** Sends the file unless Exchange has it already, and moves it on; true if it went to sent/. */
    private boolean take(Path dir, Path file) throws IOException {
        String name = file.getFileName().toString();
        // Name, size and time together: software that reuses a name for a later message still gets it sent.
        String key = DeliveryKey.hashed("pickup:" + name + "|" + Files.size(file) + "|"
                + Files.getLastModifiedTime(file).toMillis());
        if (accepted.state(key) == null) {
            Optional<String> from = MimeHeaderBlock.read(file).sender();
            try {
                if (from.isEmpty()) {
                    SendRefusal refusal = new SendRefusal(550, "5.1.7", "the message has no From header naming its"
                            + " sender");
                    status.refused(OutgoingChannel.PICKUP, refusal);
                    throw refusal;
                }
                sender.send(OutgoingChannel.PICKUP, from.get(), file, Files.size(file));
            } catch (SendRefusal refusal) {
                if (refusal.permanent()) {
                    Files.writeString(dir.resolve("failed").resolve(name + ".reason"),
                            refusal.smtpCode() + " " + refusal.reply() + "\n", StandardCharsets.UTF_8);
                    moveTo(dir.resolve("failed"), file);
                }
                return false;
            }
            accepted.delivered(List.of(key));
        }
        moveTo(dir.resolve("sent"), file);
        accepted.done(List.of(key));
        return true;
    }

    private static void moveTo(Path target, Path file) throws IOException {
        Path moved = target.resolve(file.getFileName());
        if (Files.exists(moved)) {
            moved = target.resolve(file.getFileName() + "." + System.nanoTime());
        }
        Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The regular files in {@code new/}, not hidden ones, sorted by name (Maildir names start with the time). */
    private static List<Path> waiting(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && !entry.getFileName().toString().startsWith(".")) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        return files;
    }
}
