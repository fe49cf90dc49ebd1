package dev.exchangemaildaemon.simulator;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One mailbox: the folder tree under "Top of Information Store" with the distinguished folders a new Exchange
 * Online mailbox has, and an index of every item by id. Not thread-safe: {@link MailStore} serialises access.
 */
public final class SimMailbox {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String address;
    private final SimFolder root = new SimFolder("Top of Information Store", "msgfolderroot", null);
    private final Map<String, SimFolder> foldersById = new HashMap<>();
    private final Map<String, SimFolder> foldersByDistinguishedId = new HashMap<>();
    private final Map<String, SimFolder> folderOfItem = new HashMap<>();
    private final Map<String, String> idByImmutableId = new HashMap<>();

    SimMailbox(String address) {
        this.address = address;
        index(root);
        index(new SimFolder("Inbox", "inbox", root));
        index(new SimFolder("Sent Items", "sentitems", root));
        index(new SimFolder("Deleted Items", "deleteditems", root));
        index(new SimFolder("Drafts", "drafts", root));
        index(new SimFolder("Junk Email", "junkemail", root));
    }

    public String address() {
        return address;
    }

    public Optional<SimFolder> folder(String id) {
        return Optional.ofNullable(foldersById.get(id));
    }

    public Optional<SimFolder> distinguishedFolder(String distinguishedId) {
        return Optional.ofNullable(foldersByDistinguishedId.get(distinguishedId));
    }

    /**
     * The folder with that distinguished id, else the first with that display name in the tree; a path such as
     * {@code Invoices/Incoming} or {@code inbox/Orders} is walked from a distinguished folder or the root.
     */
    SimFolder findFolder(String distinguishedIdOrDisplayName) {
        if (distinguishedIdOrDisplayName.contains("/")) {
            return FolderPaths.walk(this, distinguishedIdOrDisplayName, false);
        }
        return distinguishedFolder(distinguishedIdOrDisplayName)
                .or(() -> foldersById.values().stream()
                        .filter(folder -> folder.displayName().equalsIgnoreCase(distinguishedIdOrDisplayName))
                        .findFirst())
                .orElseThrow(() -> new IllegalArgumentException(
                        "no folder " + distinguishedIdOrDisplayName + " in " + address));
    }

    public SimFolder inbox() {
        return foldersByDistinguishedId.get("inbox");
    }

    public SimFolder createFolder(SimFolder parent, String displayName) {
        SimFolder folder = new SimFolder(displayName, null, parent);
        index(folder);
        return folder;
    }

    /** Deletes a user-created folder with its items and subfolders, as a user deleting it for good would. */
    void deleteFolder(SimFolder folder) {
        if (folder.distinguishedId() != null) {
            throw new IllegalArgumentException(folder.displayName() + " is a distinguished folder");
        }
        folder.detach();
        unindex(folder);
    }

    private void unindex(SimFolder folder) {
        folder.children().forEach(this::unindex);
        folder.items().forEach(this::remove);
        foldersById.remove(folder.id());
    }

    public Optional<StoredItem> item(String id) {
        return Optional.ofNullable(folderOfItem.get(id))
                .flatMap(folder -> folder.item(id));
    }

    /** The item with that immutable id, wherever it is now. */
    public Optional<StoredItem> itemByImmutableId(String immutableId) {
        return Optional.ofNullable(idByImmutableId.get(immutableId)).flatMap(this::item);
    }

    public Optional<SimFolder> folderOf(String itemId) {
        return Optional.ofNullable(folderOfItem.get(itemId));
    }

    public StoredItem add(SimFolder folder, byte[] mime, boolean read, Instant received) {
        String messageId = MimeHeaders.value(mime, "Message-ID").orElse(null);
        StoredItem item = new StoredItem(ItemIds.newItemId(), ItemIds.newChangeKey(), mime.clone(), read, received,
                SEQUENCE.incrementAndGet(), messageId, ItemIds.newImmutableId());
        put(folder, item);
        return item;
    }

    /** Replaces a stored item by its updated copy with the same id. */
    public void update(StoredItem item) {
        folderOfItem.get(item.id()).put(item);
    }

    /** Moves the item, which gets a new id in its new folder. */
    public StoredItem move(StoredItem item, SimFolder target) {
        remove(item);
        StoredItem moved = item.withNewId();
        put(target, moved);
        return moved;
    }

    public void remove(StoredItem item) {
        folderOfItem.remove(item.id()).remove(item.id());
        idByImmutableId.remove(item.immutableId());
    }

    private void put(SimFolder folder, StoredItem item) {
        folder.put(item);
        folderOfItem.put(item.id(), folder);
        idByImmutableId.put(item.immutableId(), item.id());
    }

    private void index(SimFolder folder) {
        foldersById.put(folder.id(), folder);
        if (folder.distinguishedId() != null) {
            foldersByDistinguishedId.put(folder.distinguishedId(), folder);
        }
    }
}
