package dev.exchangemaildaemon.ews.messages;

import java.util.List;

import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfBaseItemIdsType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/** Moves items to Deleted Items, from where the user can still restore them. */
@XmlRootElement(name = "DeleteItem")
@XmlType(name = "DeleteItemType")
public class DeleteItemType {

    @XmlElement(name = "ItemIds", required = true)
    private NonEmptyArrayOfBaseItemIdsType itemIds;

    @XmlAttribute(name = "DeleteType", required = true)
    private String deleteType;

    DeleteItemType() {
    }

    public DeleteItemType(List<String> ids) {
        this.itemIds = new NonEmptyArrayOfBaseItemIdsType(ids);
        this.deleteType = "MoveToDeletedItems";
    }
}
