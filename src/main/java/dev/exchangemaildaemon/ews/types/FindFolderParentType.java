package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "FindFolderParentType")
public class FindFolderParentType {

    @XmlElement(name = "Folders")
    private ArrayOfFoldersType folders;

    FindFolderParentType() {
    }

    public ArrayOfFoldersType folders() {
        return folders == null ? new ArrayOfFoldersType() : folders;
    }
}
