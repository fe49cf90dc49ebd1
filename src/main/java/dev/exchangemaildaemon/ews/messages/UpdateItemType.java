package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfItemChangesType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/** Saves item changes in place, overwriting concurrent edits, without sending read receipts. */
@XmlRootElement(name = "UpdateItem")
@XmlType(name = "UpdateItemType")
public class UpdateItemType {

    @XmlElement(name = "ItemChanges", required = true)
    private NonEmptyArrayOfItemChangesType itemChanges;

    @XmlAttribute(name = "ConflictResolution", required = true)
    private String conflictResolution;

    @XmlAttribute(name = "MessageDisposition")
    private String messageDisposition;

    @XmlAttribute(name = "SuppressReadReceipts")
    private Boolean suppressReadReceipts;

    UpdateItemType() {
    }

    public UpdateItemType(NonEmptyArrayOfItemChangesType itemChanges) {
        this.itemChanges = itemChanges;
        this.conflictResolution = "AlwaysOverwrite";
        this.messageDisposition = "SaveOnly";
        this.suppressReadReceipts = true;
    }
}
