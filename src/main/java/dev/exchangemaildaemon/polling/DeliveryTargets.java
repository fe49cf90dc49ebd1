package dev.exchangemaildaemon.polling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import dev.exchangemaildaemon.config.FolderSettings;
import dev.exchangemaildaemon.config.MailConfig.TargetType;
import dev.exchangemaildaemon.config.TargetSettings;
import dev.exchangemaildaemon.delivery.CommandTarget;
import dev.exchangemaildaemon.delivery.DeliveryTarget;
import dev.exchangemaildaemon.delivery.LmtpAddress;
import dev.exchangemaildaemon.delivery.LmtpTarget;
import dev.exchangemaildaemon.delivery.MailboxFiles;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.delivery.SpoolDirectory;

/**
 * Opens each mailbox's delivery target as configured. Holds what the targets of all mailboxes share: the cap on
 * commands running at once ({@code mail.incoming.max-commands}).
 */
final class DeliveryTargets {

    private final Semaphore commands;
    private final Path maildirRoot;
    private final Path stateDir;

    DeliveryTargets(int maxCommands, Path maildirRoot, Path stateDir) {
        this.commands = new Semaphore(maxCommands, true);
        this.maildirRoot = maildirRoot;
        this.stateDir = stateDir;
    }

    /**
     * Opens a folder's target, cleaning up what a crash left (a Maildir's {@code tmp/}, a spool). The caller holds the
     * state directory's lock.
     */
    DeliveryTarget open(FolderSettings folder, String address) throws IOException {
        TargetSettings settings = folder.target();
        return switch (settings.type()) {
            case MAILDIR -> new Maildir(maildir(folder, address)).create();
            case COMMAND -> new CommandTarget(settings.command(), settings.timeout(), commands, spool(address));
            case LMTP -> new LmtpTarget(LmtpAddress.parse(settings.lmtp().orElseThrow()), settings.recipient(),
                    settings.timeout(), spool(address));
        };
    }

    /** The Maildir a folder delivers into, if its target is one (and lies where it may). */
    Optional<Path> maildirOf(FolderSettings folder, String address) {
        if (folder.target().type() != TargetType.MAILDIR) {
            return Optional.empty();
        }
        try {
            return Optional.of(maildir(folder, address));
        } catch (IOException outside) {
            return Optional.empty(); // the folder's poll names it
        }
    }

    /** The mailbox's Maildir, or the folder's Maildir++ subfolder in it; never outside it. */
    private Path maildir(FolderSettings folder, String address) throws IOException {
        Path base = folder.target().path().orElse(MailboxFiles.maildir(maildirRoot, address));
        if (folder.maildirSubfolder().isEmpty()) {
            return base;
        }
        Path sub = base.resolve(folder.maildirSubfolder().get()).normalize();
        if (!base.normalize().equals(sub.getParent())) {
            throw new IOException(folder.key() + " '" + folder.name() + "' would lie outside the Maildir " + base);
        }
        return sub;
    }

    private SpoolDirectory spool(String address) throws IOException {
        return SpoolDirectory.open(MailboxFiles.spool(stateDir, address));
    }
}
