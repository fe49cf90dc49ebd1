package dev.exchangemaildaemon.ews;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.DistinguishedFolderIdType;
import dev.exchangemaildaemon.ews.types.FolderIdType;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Finds one mailbox's folders by the names the configuration uses: a well-known name such as {@code inbox}
 * (any case), or else the display name of a folder directly under the mailbox root. Found ids are remembered.
 */
final class Folders {

    /** The well-known folders of a mailbox that Exchange2013_SP1 requests may name. */
    private static final Set<String> DISTINGUISHED = Set.of("inbox", "junkemail", "sentitems", "deleteditems",
            "drafts", "outbox", "msgfolderroot", "root", "calendar", "contacts", "tasks", "notes", "journal",
            "searchfolders", "voicemail", "conversationhistory", "syncissues", "conflicts", "localfailures",
            "serverfailures", "archivemsgfolderroot", "archiveinbox", "archivedeleteditems");

    static final DistinguishedFolderIdType MAILBOX_ROOT = new DistinguishedFolderIdType("msgfolderroot");

    private final EwsClient client;
    private final Map<String, FolderIdType> byDisplayName = new ConcurrentHashMap<>();

    Folders(EwsClient client) {
        this.client = client;
    }

    /** The folder by well-known or display name; ErrorFolderNotFound if there is none. */
    BaseFolderIdType find(String name) throws MailboxException {
        String wellKnown = name.trim().toLowerCase(Locale.ROOT);
        if (DISTINGUISHED.contains(wellKnown)) {
            return new DistinguishedFolderIdType(wellKnown);
        }
        return findByDisplayName(name).orElseThrow(() -> new MailboxException("ErrorFolderNotFound",
                MailboxException.Kind.PERMANENT, "no folder named '" + name + "' under the mailbox root"));
    }

    /** The folder with this display name under the mailbox root, created if missing. */
    FolderIdType findOrCreate(String displayName) throws MailboxException {
        Optional<FolderIdType> found = findByDisplayName(displayName);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            FolderIdType created = CreateFolder.create(client, MAILBOX_ROOT, displayName);
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

    private Optional<FolderIdType> findByDisplayName(String displayName) throws MailboxException {
        FolderIdType known = byDisplayName.get(displayName);
        if (known != null) {
            return Optional.of(known);
        }
        List<FolderIdType> found = FindFolder.byDisplayName(client, MAILBOX_ROOT, displayName);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        byDisplayName.put(displayName, found.get(0));
        return Optional.of(found.get(0));
    }
}
