package dev.exchangemaildaemon.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mail folder: its items by id and its child folders. */
public final class SimFolder {

    private final String id = ItemIds.newFolderId();
    private final String changeKey = ItemIds.newChangeKey();
    private final String displayName;
    private final String distinguishedId;
    private final SimFolder parent;
    private final List<SimFolder> children = new ArrayList<>();
    private final Map<String, StoredItem> items = new LinkedHashMap<>();
    /** Exchange's hidden flag (PidTagAttributeHidden): Graph lists such a folder only when asked to. */
    private volatile boolean hidden;

    /** A folder; {@code distinguishedId} is null for a user-created one, {@code parent} null for the root. */
    SimFolder(String displayName, String distinguishedId, SimFolder parent) {
        this.displayName = displayName;
        this.distinguishedId = distinguishedId;
        this.parent = parent;
        if (parent != null) {
            parent.children.add(this);
        }
    }

    public String id() {
        return id;
    }

    public String changeKey() {
        return changeKey;
    }

    public String displayName() {
        return displayName;
    }

    String distinguishedId() {
        return distinguishedId;
    }

    /** The folder with this display name directly under this one; Exchange compares display names ignoring case. */
    public Optional<SimFolder> child(String displayName) {
        return children.stream().filter(child -> child.displayName.equalsIgnoreCase(displayName)).findFirst();
    }

    /** Takes this folder, with everything in it, out of its parent. */
    void detach() {
        parent.children.remove(this);
    }

    public boolean hidden() {
        return hidden;
    }

    void hide() {
        hidden = true;
    }

    public List<SimFolder> children() {
        return List.copyOf(children);
    }

    public Collection<StoredItem> items() {
        return List.copyOf(items.values());
    }

    Optional<StoredItem> item(String itemId) {
        return Optional.ofNullable(items.get(itemId));
    }

    public int unreadCount() {
        return (int) items.values().stream().filter(item -> !item.read()).count();
    }

    void put(StoredItem item) {
        items.put(item.id(), item);
    }

    void remove(String itemId) {
        items.remove(itemId);
    }
}
