package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "NonEmptyArrayOfBaseItemIdsType")
public class NonEmptyArrayOfBaseItemIdsType {

    @XmlElement(name = "ItemId", required = true)
    private List<ItemIdType> itemIds;

    NonEmptyArrayOfBaseItemIdsType() {
    }

    public NonEmptyArrayOfBaseItemIdsType(List<String> ids) {
        this.itemIds = ids.stream().map(ItemIdType::new).toList();
    }
}
