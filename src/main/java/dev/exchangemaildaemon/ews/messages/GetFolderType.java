package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.FolderResponseShapeType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfBaseFolderIdsType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "GetFolder")
@XmlType(name = "GetFolderType", propOrder = { "folderShape", "folderIds" })
public class GetFolderType {

    @XmlElement(name = "FolderShape", required = true)
    private FolderResponseShapeType folderShape;

    @XmlElement(name = "FolderIds", required = true)
    private NonEmptyArrayOfBaseFolderIdsType folderIds;

    GetFolderType() {
    }

    public GetFolderType(BaseFolderIdType folder) {
        this.folderShape = FolderResponseShapeType.idOnly();
        this.folderIds = new NonEmptyArrayOfBaseFolderIdsType(folder);
    }
}
