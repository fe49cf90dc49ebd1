package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.FolderType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfFoldersType;
import dev.exchangemaildaemon.ews.types.TargetFolderIdType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "CreateFolder")
@XmlType(name = "CreateFolderType", propOrder = { "parentFolderId", "folders" })
public class CreateFolderType {

    @XmlElement(name = "ParentFolderId", required = true)
    private TargetFolderIdType parentFolderId;

    @XmlElement(name = "Folders", required = true)
    private NonEmptyArrayOfFoldersType folders;

    CreateFolderType() {
    }

    public CreateFolderType(BaseFolderIdType parent, FolderType folder) {
        this.parentFolderId = new TargetFolderIdType(parent);
        this.folders = new NonEmptyArrayOfFoldersType(folder);
    }
}
