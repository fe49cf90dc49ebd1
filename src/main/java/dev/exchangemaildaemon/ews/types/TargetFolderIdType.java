package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "TargetFolderIdType")
public class TargetFolderIdType {

    @XmlElements({
            @XmlElement(name = "FolderId", type = FolderIdType.class),
            @XmlElement(name = "DistinguishedFolderId", type = DistinguishedFolderIdType.class) })
    private BaseFolderIdType folderId;

    TargetFolderIdType() {
    }

    public TargetFolderIdType(BaseFolderIdType folderId) {
        this.folderId = folderId;
    }
}
