package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "NonEmptyArrayOfBaseFolderIdsType")
public class NonEmptyArrayOfBaseFolderIdsType {

    @XmlElements({
            @XmlElement(name = "FolderId", type = FolderIdType.class),
            @XmlElement(name = "DistinguishedFolderId", type = DistinguishedFolderIdType.class) })
    private List<BaseFolderIdType> folderIds;

    NonEmptyArrayOfBaseFolderIdsType() {
    }

    public NonEmptyArrayOfBaseFolderIdsType(BaseFolderIdType folderId) {
        this.folderIds = List.of(folderId);
    }
}
