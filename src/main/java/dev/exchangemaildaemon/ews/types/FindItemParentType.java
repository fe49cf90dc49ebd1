package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** One page of FindItem results and where the next page starts. */
@XmlType(name = "FindItemParentType")
public class FindItemParentType {

    @XmlElement(name = "Items")
    private ArrayOfRealItemsType items;

    @XmlAttribute(name = "IndexedPagingOffset")
    private Integer indexedPagingOffset;

    @XmlAttribute(name = "IncludesLastItemInRange")
    private Boolean includesLastItemInRange;

    FindItemParentType() {
    }

    public ArrayOfRealItemsType items() {
        return items == null ? new ArrayOfRealItemsType() : items;
    }

    public Integer indexedPagingOffset() {
        return indexedPagingOffset;
    }

    public boolean includesLastItemInRange() {
        return includesLastItemInRange == null || includesLastItemInRange;
    }
}
