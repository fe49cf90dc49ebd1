package dev.exchangemaildaemon.ews.messages;

import java.util.List;

import dev.exchangemaildaemon.ews.types.ArrayOfFoldersType;
import dev.exchangemaildaemon.ews.types.FolderType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "FolderInfoResponseMessageType")
public class FolderInfoResponseMessageType extends ResponseMessageType {

    @XmlElement(name = "Folders")
    private ArrayOfFoldersType folders;

    FolderInfoResponseMessageType() {
    }

    public List<FolderType> folders() {
        return folders == null ? List.of() : folders.folders();
    }
}
