package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.DistinguishedFolderIdType;
import dev.exchangemaildaemon.ews.types.MessageType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfAllItemsType;
import dev.exchangemaildaemon.ews.types.TargetFolderIdType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/** Sends a new message and keeps a copy in the sender's Sent Items. */
@XmlRootElement(name = "CreateItem")
@XmlType(name = "CreateItemType", propOrder = { "savedItemFolderId", "items" })
public class CreateItemType {

    @XmlElement(name = "SavedItemFolderId")
    private TargetFolderIdType savedItemFolderId;

    @XmlElement(name = "Items", required = true)
    private NonEmptyArrayOfAllItemsType items;

    @XmlAttribute(name = "MessageDisposition")
    private String messageDisposition;

    CreateItemType() {
    }

    public CreateItemType(MessageType message) {
        this.savedItemFolderId = new TargetFolderIdType(new DistinguishedFolderIdType("sentitems"));
        this.items = new NonEmptyArrayOfAllItemsType(message);
        this.messageDisposition = "SendAndSaveCopy";
    }
}
