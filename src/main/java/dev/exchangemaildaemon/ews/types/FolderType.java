package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** A folder: its id when read, its class and display name when created. */
@XmlType(name = "FolderType", propOrder = { "folderId", "folderClass", "displayName" })
public class FolderType {

    @XmlElement(name = "FolderId")
    private FolderIdType folderId;

    @XmlElement(name = "FolderClass")
    private String folderClass;

    @XmlElement(name = "DisplayName")
    private String displayName;

    FolderType() {
    }

    public static FolderType mailFolder(String displayName) {
        FolderType folder = new FolderType();
        folder.folderClass = "IPF.Note";
        folder.displayName = displayName;
        return folder;
    }

    public FolderIdType folderId() {
        return folderId;
    }
}
