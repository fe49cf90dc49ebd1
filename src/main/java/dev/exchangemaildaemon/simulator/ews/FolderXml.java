package dev.exchangemaildaemon.simulator.ews;

import dev.exchangemaildaemon.simulator.SimFolder;

/** Writes {@code t:Folder} elements, their properties in the schema's order. */
final class FolderXml {

    private FolderXml() {
    }

    static void folder(XmlOut xml, SimFolder folder, PropertySet properties) {
        xml.start("t", "Folder");
        id(xml, folder);
        if (properties.has(PropertySet.DISPLAY_NAME)) {
            xml.leaf("t", "DisplayName", folder.displayName());
        }
        if (properties.has(PropertySet.TOTAL_COUNT)) {
            xml.leaf("t", "TotalCount", Integer.toString(folder.items().size()));
        }
        if (properties.has(PropertySet.CHILD_FOLDER_COUNT)) {
            xml.leaf("t", "ChildFolderCount", Integer.toString(folder.children().size()));
        }
        if (properties.has(PropertySet.UNREAD_COUNT)) {
            xml.leaf("t", "UnreadCount", Integer.toString(folder.unreadCount()));
        }
        xml.end();
    }

    /** A {@code t:Folder} holding only its id, as CreateFolder answers. */
    static void folderId(XmlOut xml, SimFolder folder) {
        xml.start("t", "Folder");
        id(xml, folder);
        xml.end();
    }

    private static void id(XmlOut xml, SimFolder folder) {
        xml.empty("t", "FolderId", "Id", folder.id(), "ChangeKey", folder.changeKey());
    }
}
