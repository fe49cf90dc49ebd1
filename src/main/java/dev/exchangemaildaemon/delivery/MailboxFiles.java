package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where one mailbox's Maildir and delivery record live: directly under their roots, named by the lower-cased
 * address. The configuration rules already refuse addresses with path separators or {@code ..}; this checks the
 * resolved paths again, so that no address can make the daemon write, or clean up {@code tmp/}, elsewhere.
 */
public final class MailboxFiles {

    private MailboxFiles() {
    }

    /** The address as it names files and keys: lower-case whatever the machine's language. */
    public static String name(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    public static Path maildir(Path maildirRoot, String address) throws IOException {
        return under(maildirRoot, name(address), "mail.incoming.maildir");
    }

    public static Path record(Path stateDir, String address) throws IOException {
        return under(stateDir, name(address) + ".delivered", "mail.incoming.state-dir");
    }

    /** Where a command or LMTP target keeps the mailbox's messages between fetch and hand-over. */
    public static Path spool(Path stateDir, String address) throws IOException {
        return under(stateDir, name(address) + ".spool", "mail.incoming.state-dir");
    }

    private static Path under(Path root, String name, String key) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base.resolve(name).normalize();
        if (!base.equals(resolved.getParent())) {
            throw new IOException("'" + name + "' would lie outside " + key + " " + base + " (at " + resolved
                    + "): refused");
        }
        return resolved;
    }
}
