package dev.exchangemaildaemon.graph;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Finds one mailbox's folders by the names the configuration uses: a well-known name such as {@code inbox} (any
 * case), which Graph takes in place of an id, or else the display name of a folder directly under the mailbox
 * root. Ids found by display name are remembered.
 */
final class Folders {

    /** Graph's well-known mail folder names. */
    private static final Set<String> WELL_KNOWN = Set.of("archive", "clutter", "conflicts", "conversationhistory",
            "deleteditems", "drafts", "inbox", "junkemail", "localfailures", "msgfolderroot", "outbox",
            "recoverableitemsdeletions", "scheduled", "searchfolders", "sentitems", "serverfailures", "syncissues");

    static final String DELETED_ITEMS = "deleteditems";

    private final GraphClient client;
    private final MailboxPaths paths;
    private final Map<String, String> byDisplayName = new ConcurrentHashMap<>();

    Folders(GraphClient client, MailboxPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** The folder's id or well-known name; ErrorFolderNotFound if there is no such folder. */
    String find(String name) throws MailboxException {
        String wellKnown = name.trim().toLowerCase(Locale.ROOT);
        if (WELL_KNOWN.contains(wellKnown)) {
            return wellKnown;
        }
        return findByDisplayName(name).orElseThrow(() -> GraphErrors.folderNotFound(name));
    }

    /** The id of the folder with this display name under the mailbox root, created if missing. */
    String findOrCreate(String displayName) throws MailboxException {
        Optional<String> found = findByDisplayName(displayName);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            String created = client.send("createFolder", "POST", paths.folders(),
                    new GraphJson.NewFolder(displayName), GraphJson.Folder.class).id();
            byDisplayName.put(displayName, created);
            return created;
        } catch (MailboxException e) {
            if (!"ErrorFolderExists".equals(e.code())) {
                throw e;
            }
            // created meanwhile by someone else
            return findByDisplayName(displayName).orElseThrow(() -> e);
        }
    }

    /** Drops a remembered id, after the server said the folder is gone. */
    void forget(String name) {
        byDisplayName.remove(name);
    }

    private Optional<String> findByDisplayName(String displayName) throws MailboxException {
        String known = byDisplayName.get(displayName);
        if (known != null) {
            return Optional.of(known);
        }
        String query = MailboxPaths.query(MailboxPaths.options(
                "$filter", "displayName eq " + MailboxPaths.literal(displayName),
                "$select", "id,displayName"));
        Optional<String> found = client.get("findFolder", paths.folders() + query, GraphJson.FolderPage.class).value()
                .stream().findFirst().map(GraphJson.Folder::id);
        found.ifPresent(id -> byDisplayName.put(displayName, id));
        return found;
    }
}
