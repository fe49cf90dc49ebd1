package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlType;

/** Folders of any kind; this client reads only their ids, so all map to {@link FolderType}. */
@XmlType(name = "ArrayOfFoldersType")
public class ArrayOfFoldersType {

    @XmlElements({
            @XmlElement(name = "Folder", type = FolderType.class),
            @XmlElement(name = "CalendarFolder", type = FolderType.class),
            @XmlElement(name = "ContactsFolder", type = FolderType.class),
            @XmlElement(name = "SearchFolder", type = FolderType.class),
            @XmlElement(name = "TasksFolder", type = FolderType.class) })
    private List<FolderType> folders;

    ArrayOfFoldersType() {
    }

    public List<FolderType> folders() {
        return folders == null ? List.of() : folders;
    }
}
