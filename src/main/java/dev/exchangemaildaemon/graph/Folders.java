package dev.exchangemaildaemon.graph;

import java.util.Optional;
import java.util.Set;

import dev.exchangemaildaemon.mailbox.FolderNames;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * The folder operations of Graph behind {@link FolderNames}: well-known names, which Graph takes in place of an id,
 * a parent's childFolders filtered by display name, and a child folder created under a parent.
 */
final class Folders implements FolderNames.Server<String> {

    /** Graph's well-known mail folder names. */
    private static final Set<String> WELL_KNOWN = Set.of("archive", "clutter", "conflicts", "conversationhistory",
            "deleteditems", "drafts", "inbox", "junkemail", "localfailures", "msgfolderroot", "outbox",
            "recoverableitemsdeletions", "scheduled", "searchfolders", "sentitems", "serverfailures", "syncissues");

    static final String DELETED_ITEMS = "deleteditems";
    /** Graph takes the well-known name of the root in place of its id. */
    private static final String MAILBOX_ROOT = "msgfolderroot";

    private final GraphClient client;
    private final MailboxPaths paths;

    Folders(GraphClient client, MailboxPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    @Override
    public Optional<String> wellKnown(String name) {
        return WELL_KNOWN.contains(name) ? Optional.of(name) : Optional.empty();
    }

    @Override
    public String root() {
        return MAILBOX_ROOT;
    }

    /** Display names are unique under a parent (Exchange refuses a second one), so a filtered list has one at most. */
    @Override
    public Optional<String> findChild(String parent, String displayName) throws MailboxException {
        // Graph leaves hidden folders out of the list unless asked; EWS FindFolder finds them, and so must this
        String query = MailboxPaths.query(MailboxPaths.options(
                "$filter", "displayName eq " + MailboxPaths.literal(displayName),
                "$select", "id,displayName",
                "includeHiddenFolders", "true"));
        return client.get("findFolder", paths.childFolders(parent) + query, GraphJson.FolderPage.class).value()
                .stream().findFirst().map(GraphJson.Folder::id);
    }

    @Override
    public String createChild(String parent, String displayName) throws MailboxException {
        return client.send("createFolder", "POST", paths.childFolders(parent), new GraphJson.NewFolder(displayName),
                GraphJson.Folder.class).id();
    }

    /** A stale folder id may come back as an item's code (ErrorItemNotFound, ErrorInvalidIdMalformed) too. */
    @Override
    public boolean folderGone(MailboxException failure) {
        return GraphErrors.concernsItem(failure) || FolderNames.FOLDER_NOT_FOUND.equals(failure.code());
    }
}
