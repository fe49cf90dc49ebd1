package dev.exchangemaildaemon.graph;

import java.util.Optional;
import java.util.Set;

import dev.exchangemaildaemon.mailbox.FolderNames;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * The folder operations of Graph behind {@link FolderNames}: well-known names, which Graph takes in place of an id,
 * a filtered list of the root's child folders, and createFolder.
 */
final class Folders implements FolderNames.Server<String> {

    /** Graph's well-known mail folder names. */
    private static final Set<String> WELL_KNOWN = Set.of("archive", "clutter", "conflicts", "conversationhistory",
            "deleteditems", "drafts", "inbox", "junkemail", "localfailures", "msgfolderroot", "outbox",
            "recoverableitemsdeletions", "scheduled", "searchfolders", "sentitems", "serverfailures", "syncissues");

    static final String DELETED_ITEMS = "deleteditems";

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
    public Optional<String> findUnderRoot(String displayName) throws MailboxException {
        String query = MailboxPaths.query(MailboxPaths.options(
                "$filter", "displayName eq " + MailboxPaths.literal(displayName),
                "$select", "id,displayName"));
        return client.get("findFolder", paths.folders() + query, GraphJson.FolderPage.class).value()
                .stream().findFirst().map(GraphJson.Folder::id);
    }

    @Override
    public String createUnderRoot(String displayName) throws MailboxException {
        return client.send("createFolder", "POST", paths.folders(), new GraphJson.NewFolder(displayName),
                GraphJson.Folder.class).id();
    }

    /** A stale folder id may come back as an item's code (ErrorItemNotFound, ErrorInvalidIdMalformed) too. */
    @Override
    public boolean folderGone(MailboxException failure) {
        return GraphErrors.concernsItem(failure) || FolderNames.FOLDER_NOT_FOUND.equals(failure.code());
    }
}
