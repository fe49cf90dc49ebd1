package dev.exchangemaildaemon.mailbox;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.exchangemaildaemon.config.FolderPath;

/**
 * Finds one mailbox's folders by the paths the configuration uses. A path is split into display names ({@link FolderPath}),
 * each a folder under the one before: {@code Invoices/Incoming}. The first may instead be a well-known name such as
 * {@code inbox} (any case), so {@code Inbox/Orders} is the folder Orders in the Inbox; otherwise it is a folder
 * directly under the mailbox root. Missing folders are
 * created where the daemon needs them (the move target). Ids found by display name are remembered per path until the
 * server says a folder is gone. The logic is the same for every transport; each gives its own primitives as a
 * {@link Server}.
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

        /** The mailbox root, parent of the folders a user sees at the top (the Inbox and its siblings). */
        F root();

        /** The folder with this display name directly under the parent (Exchange compares ignoring case). */
        Optional<F> findChild(F parent, String displayName) throws MailboxException;

        /** Creates a folder under the parent; {@code ErrorFolderExists} if one there has the name. */
        F createChild(F parent, String displayName) throws MailboxException;

        /** Whether a call on a folder failing thus may mean the folder is gone (its remembered id is stale). */
        boolean folderGone(MailboxException failure);
    }

    /** A call on one folder. */
    @FunctionalInterface
    public interface FolderCall<F, T> {
        T run(F folder) throws MailboxException;
    }

    private final Server<F> server;
    private final Map<String, F> byPath = new ConcurrentHashMap<>();

    public FolderNames(Server<F> server) {
        this.server = server;
    }

    /** The folder at this path; {@value #FOLDER_NOT_FOUND} if there is none. */
    public F find(String path) throws MailboxException {
        return resolve(path, false);
    }

    /** The folder at this path, each missing folder on it created under its parent. */
    public F findOrCreate(String path) throws MailboxException {
        return resolve(path, true);
    }

    /** Runs a call on a folder, forgetting a remembered folder id that the server no longer knows. */
    public <T> T inFolder(String path, FolderCall<F, T> call) throws MailboxException {
        try {
            return call.run(find(path));
        } catch (MailboxException e) {
            if (server.folderGone(e)) {
                forget(path);
            }
            throw e;
        }
    }

    /**
     * Drops the remembered ids of a path and of every folder above it, after the server said a folder is gone: a
     * stale id below a folder deleted and made again would otherwise fail for good.
     */
    public void forget(String path) {
        List<String> segments = FolderPath.segments(path);
        for (int i = 1; i <= segments.size(); i++) {
            byPath.remove(key(segments.subList(0, i)));
        }
    }

    private F resolve(String path, boolean create) throws MailboxException {
        List<String> segments = FolderPath.segments(path);
        try {
            Optional<F> wellKnown = server.wellKnown(segments.get(0).toLowerCase(Locale.ROOT));
            F folder = wellKnown.orElseGet(server::root);
            for (int i = wellKnown.isPresent() ? 1 : 0; i < segments.size(); i++) {
                folder = child(folder, segments.subList(0, i + 1), create, path);
            }
            return folder;
        } catch (MailboxException e) {
            if (server.folderGone(e)) {
                forget(path); // a remembered folder on the way may be the one gone
            }
            throw e;
        }
    }

    /** The last folder of the prefix, which is a child of {@code parent}. */
    private F child(F parent, List<String> prefix, boolean create, String path) throws MailboxException {
        String key = key(prefix);
        F known = byPath.get(key);
        if (known != null) {
            return known;
        }
        String name = prefix.get(prefix.size() - 1);
        Optional<F> found = server.findChild(parent, name);
        F folder;
        if (found.isPresent()) {
            folder = found.get();
        } else if (create) {
            folder = create(parent, name);
        } else {
            String missing = FolderPath.join(prefix);
            throw new MailboxException(FOLDER_NOT_FOUND, MailboxException.Kind.PERMANENT, "no folder '" + missing
                    + "'" + (prefix.size() == 1 ? " under the mailbox root" : "")
                    + (missing.equals(path.strip()) ? "" : " (of '" + path + "')"));
        }
        byPath.put(key, folder);
        return folder;
    }

    private F create(F parent, String name) throws MailboxException {
        try {
            return server.createChild(parent, name);
        } catch (MailboxException e) {
            if (!FOLDER_EXISTS.equals(e.code())) {
                throw e;
            }
            // created meanwhile by someone else
            return server.findChild(parent, name).orElseThrow(() -> e);
        }
    }

    /** Paths that differ only in case name the same folders, as Exchange compares display names. */
    private static String key(List<String> segments) {
        return FolderPath.join(segments).toLowerCase(Locale.ROOT);
    }
}
