package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** Items to create; this client creates messages only. */
@XmlType(name = "NonEmptyArrayOfAllItemsType")
public class NonEmptyArrayOfAllItemsType {

    @XmlElement(name = "Message", required = true)
    private List<MessageType> messages;

    NonEmptyArrayOfAllItemsType() {
    }

    public NonEmptyArrayOfAllItemsType(MessageType message) {
        this.messages = List.of(message);
    }
}
