package dev.exchangemaildaemon.ews.messages;

import java.util.List;

import dev.exchangemaildaemon.ews.types.ItemResponseShapeType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfBaseItemIdsType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "GetItem")
@XmlType(name = "GetItemType", propOrder = { "itemShape", "itemIds" })
public class GetItemType {

    @XmlElement(name = "ItemShape", required = true)
    private ItemResponseShapeType itemShape;

    @XmlElement(name = "ItemIds", required = true)
    private NonEmptyArrayOfBaseItemIdsType itemIds;

    GetItemType() {
    }

    public GetItemType(ItemResponseShapeType itemShape, List<String> ids) {
        this.itemShape = itemShape;
        this.itemIds = new NonEmptyArrayOfBaseItemIdsType(ids);
    }
}
