package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.IndexedPageViewType;
import dev.exchangemaildaemon.ews.types.ItemResponseShapeType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfBaseFolderIdsType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfFieldOrdersType;
import dev.exchangemaildaemon.ews.types.RestrictionType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "FindItem")
@XmlType(name = "FindItemType", propOrder = { "itemShape", "indexedPageItemView", "restriction", "sortOrder",
        "parentFolderIds" })
public class FindItemType {

    @XmlElement(name = "ItemShape", required = true)
    private ItemResponseShapeType itemShape;

    @XmlElement(name = "IndexedPageItemView")
    private IndexedPageViewType indexedPageItemView;

    @XmlElement(name = "Restriction")
    private RestrictionType restriction;

    @XmlElement(name = "SortOrder")
    private NonEmptyArrayOfFieldOrdersType sortOrder;

    @XmlElement(name = "ParentFolderIds", required = true)
    private NonEmptyArrayOfBaseFolderIdsType parentFolderIds;

    @XmlAttribute(name = "Traversal", required = true)
    private String traversal;

    FindItemType() {
    }

    /** One page of the items directly in the folder that match the restriction. */
    public FindItemType(ItemResponseShapeType itemShape, IndexedPageViewType page, RestrictionType restriction,
            NonEmptyArrayOfFieldOrdersType sortOrder, BaseFolderIdType folder) {
        this.itemShape = itemShape;
        this.indexedPageItemView = page;
        this.restriction = restriction;
        this.sortOrder = sortOrder;
        this.parentFolderIds = new NonEmptyArrayOfBaseFolderIdsType(folder);
        this.traversal = "Shallow";
    }
}
