package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.FolderResponseShapeType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfBaseFolderIdsType;
import dev.exchangemaildaemon.ews.types.RestrictionType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "FindFolder")
@XmlType(name = "FindFolderType", propOrder = { "folderShape", "restriction", "parentFolderIds" })
public class FindFolderType {

    @XmlElement(name = "FolderShape", required = true)
    private FolderResponseShapeType folderShape;

    @XmlElement(name = "Restriction")
    private RestrictionType restriction;

    @XmlElement(name = "ParentFolderIds", required = true)
    private NonEmptyArrayOfBaseFolderIdsType parentFolderIds;

    @XmlAttribute(name = "Traversal", required = true)
    private String traversal;

    FindFolderType() {
    }

    /** The direct children of the parent that match the restriction. */
    public FindFolderType(BaseFolderIdType parent, RestrictionType restriction) {
        this.folderShape = FolderResponseShapeType.idOnly();
        this.restriction = restriction;
        this.parentFolderIds = new NonEmptyArrayOfBaseFolderIdsType(parent);
        this.traversal = "Shallow";
    }
}
