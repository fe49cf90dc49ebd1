package dev.exchangemaildaemon.ews.messages;

import java.util.List;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfBaseItemIdsType;
import dev.exchangemaildaemon.ews.types.TargetFolderIdType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "MoveItem")
@XmlType(name = "MoveItemType", propOrder = { "toFolderId", "itemIds" })
public class MoveItemType {

    @XmlElement(name = "ToFolderId", required = true)
    private TargetFolderIdType toFolderId;

    @XmlElement(name = "ItemIds", required = true)
    private NonEmptyArrayOfBaseItemIdsType itemIds;

    MoveItemType() {
    }

    public MoveItemType(BaseFolderIdType toFolder, List<String> ids) {
        this.toFolderId = new TargetFolderIdType(toFolder);
        this.itemIds = new NonEmptyArrayOfBaseItemIdsType(ids);
    }
}
