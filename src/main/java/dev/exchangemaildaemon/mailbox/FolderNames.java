package dev.exchangemaildaemon.mailbox;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds one mailbox's folders by the names the configuration uses: a well-known name such as {@code inbox} (any
 * case), or else the display name of a folder directly under the mailbox root, which is created where the daemon
 * needs it (the move target). Ids found by display name are remembered until the server says the folder is gone.
 * The logic is the same for every transport; each gives its own primitives as a {@link Server}.
 *
 * @param <F> how the transport names a folder in a request
 */
public final class FolderNames<F> {

    /** Exchange's code, over EWS and Graph alike, for a folder that is not there. */
    public static final String FOLDER_NOT_FOUND = "ErrorFolderNotFound";
    private static final String FOLDER_EXISTS = "ErrorFolderExists";

    /** What one transport can do with folders. */
    public interface Server<F> {

        /** The well-known folder of this lower-case name, if the transport knows one by it. */
        Optional<F> wellKnown(String name);

        /** The first folder with this display name directly under the mailbox root. */
        Optional<F> findUnderRoot(String displayName) throws MailboxException;

        /** Creates a folder directly under the mailbox root; {@code ErrorFolderExists} if one has the name. */
        F createUnderRoot(String displayName) throws MailboxException;

        /** Whether a call on a folder failing thus may mean the folder is gone (its remembered id is stale). */
        boolean folderGone(MailboxException failure);
    }

    /** A call on one folder. */
    @FunctionalInterface
    public interface FolderCall<F, T> {
        T run(F folder) throws MailboxException;
    }

    private final Server<F> server;
    private final Map<String, F> byDisplayName = new ConcurrentHashMap<>();

    public FolderNames(Server<F> server) {
        this.server = server;
    }

    /** The folder by well-known or display name; {@value #FOLDER_NOT_FOUND} if there is none. */
    public F find(String name) throws MailboxException {
        Optional<F> wellKnown = server.wellKnown(name.trim().toLowerCase(Locale.ROOT));
        if (wellKnown.isPresent()) {
            return wellKnown.get();
        }
        return findByDisplayName(name).orElseThrow(() -> new MailboxException(FOLDER_NOT_FOUND,
                MailboxException.Kind.PERMANENT, "no folder named '" + name + "' under the mailbox root"));
    }

    /** The folder with this display name under the mailbox root, created if missing. */
    public F findOrCreate(String displayName) throws MailboxException {
        Optional<F> found = findByDisplayName(displayName);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            F created = server.createUnderRoot(displayName);
            byDisplayName.put(displayName, created);
            return created;
        } catch (MailboxException e) {
            if (!FOLDER_EXISTS.equals(e.code())) {
                throw e;
            }
            // created meanwhile by someone else
            return findByDisplayName(displayName).orElseThrow(() -> e);
        }
    }

    /** Runs a call on a folder, forgetting a remembered folder id that the server no longer knows. */
    public <T> T inFolder(String name, FolderCall<F, T> call) throws MailboxException {
        try {
            return call.run(find(name));
        } catch (MailboxException e) {
            if (server.folderGone(e)) {
                forget(name);
            }
            throw e;
        }
    }

    /** Drops a remembered id, after the server said the folder is gone. */
    public void forget(String name) {
        byDisplayName.remove(name);
    }

    private Optional<F> findByDisplayName(String displayName) throws MailboxException {
        F known = byDisplayName.get(displayName);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<F> found = server.findUnderRoot(displayName);
        found.ifPresent(id -> byDisplayName.put(displayName, id));
        return found;
    }
}
