package dev.exchangemaildaemon.ews;

import java.util.Optional;
import java.util.Set;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.DistinguishedFolderIdType;
import dev.exchangemaildaemon.mailbox.FolderNames;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * The folder operations of EWS behind {@link FolderNames}: distinguished folder ids, FindFolder (Shallow, by
 * display name) and CreateFolder under a parent folder.
 */
final class Folders implements FolderNames.Server<BaseFolderIdType> {

    /** The well-known folders of a mailbox that Exchange2013_SP1 requests may name. */
    private static final Set<String> DISTINGUISHED = Set.of("inbox", "junkemail", "sentitems", "deleteditems",
            "drafts", "outbox", "msgfolderroot", "root", "calendar", "contacts", "tasks", "notes", "journal",
            "searchfolders", "voicemail", "conversationhistory", "syncissues", "conflicts", "localfailures",
            "serverfailures", "archivemsgfolderroot", "archiveinbox", "archivedeleteditems");

    static final DistinguishedFolderIdType MAILBOX_ROOT = new DistinguishedFolderIdType("msgfolderroot");

    private final EwsClient client;

    Folders(EwsClient client) {
        this.client = client;
    }

    @Override
    public Optional<BaseFolderIdType> wellKnown(String name) {
        return DISTINGUISHED.contains(name) ? Optional.of(new DistinguishedFolderIdType(name)) : Optional.empty();
    }

    @Override
    public BaseFolderIdType root() {
        return MAILBOX_ROOT;
    }

    @Override
    public Optional<BaseFolderIdType> findChild(BaseFolderIdType parent, String displayName) throws MailboxException {
        return FindFolder.byDisplayName(client, parent, displayName).stream().findFirst()
                .map(BaseFolderIdType.class::cast);
    }

    @Override
    public BaseFolderIdType createChild(BaseFolderIdType parent, String displayName) throws MailboxException {
        return CreateFolder.create(client, parent, displayName);
    }

    @Override
    public boolean folderGone(MailboxException failure) {
        return FolderNames.FOLDER_NOT_FOUND.equals(failure.code());
    }
}
