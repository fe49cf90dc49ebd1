package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** Folders to create; this client creates mail folders only. */
@XmlType(name = "NonEmptyArrayOfFoldersType")
public class NonEmptyArrayOfFoldersType {

    @XmlElement(name = "Folder", required = true)
    private List<FolderType> folders;

    NonEmptyArrayOfFoldersType() {
    }

    public NonEmptyArrayOfFoldersType(FolderType folder) {
        this.folders = List.of(folder);
    }
}
