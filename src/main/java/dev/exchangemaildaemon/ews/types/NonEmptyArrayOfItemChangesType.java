package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlType;

/** Item updates; only the one this client makes, setting {@code message:IsRead}. */
@XmlType(name = "NonEmptyArrayOfItemChangesType")
public class NonEmptyArrayOfItemChangesType {

    @XmlElement(name = "ItemChange", required = true)
    private List<ItemChangeType> itemChanges;

    NonEmptyArrayOfItemChangesType() {
    }

    private NonEmptyArrayOfItemChangesType(List<ItemChangeType> itemChanges) {
        this.itemChanges = itemChanges;
    }

    public static NonEmptyArrayOfItemChangesType markRead(List<String> ids) {
        return new NonEmptyArrayOfItemChangesType(ids.stream().map(ItemChangeType::markRead).toList());
    }

    @XmlType(name = "ItemChangeType", propOrder = { "itemId", "updates" })
    static class ItemChangeType {

        @XmlElement(name = "ItemId", required = true)
        private ItemIdType itemId;

        @XmlElementWrapper(name = "Updates", required = true)
        @XmlElement(name = "SetItemField", required = true)
        private List<SetItemFieldType> updates;

        ItemChangeType() {
        }

        static ItemChangeType markRead(String id) {
            ItemChangeType change = new ItemChangeType();
            change.itemId = new ItemIdType(id);
            change.updates = List.of(new SetItemFieldType("message:IsRead", MessageType.read()));
            return change;
        }
    }

    @XmlType(name = "SetItemFieldType", propOrder = { "fieldUri", "message" })
    static class SetItemFieldType {

        @XmlElement(name = "FieldURI", required = true)
        private PathToUnindexedFieldType fieldUri;

        @XmlElement(name = "Message", required = true)
        private MessageType message;

        SetItemFieldType() {
        }

        SetItemFieldType(String fieldUri, MessageType message) {
            this.fieldUri = new PathToUnindexedFieldType(fieldUri);
            this.message = message;
        }
    }
}
