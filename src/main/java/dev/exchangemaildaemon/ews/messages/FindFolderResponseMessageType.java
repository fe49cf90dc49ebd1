package dev.exchangemaildaemon.ews.messages;

import java.util.List;

import dev.exchangemaildaemon.ews.types.FolderType;
import dev.exchangemaildaemon.ews.types.FindFolderParentType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "FindFolderResponseMessageType")
public class FindFolderResponseMessageType extends ResponseMessageType {

    @XmlElement(name = "RootFolder")
    private FindFolderParentType rootFolder;

    FindFolderResponseMessageType() {
    }

    public List<FolderType> folders() {
        return rootFolder == null ? List.of() : rootFolder.folders().folders();
    }
}
