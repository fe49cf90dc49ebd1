package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlType;

/**
 * Items of any kind. A mail folder holds meeting requests, reports and posts besides plain messages; all of them
 * have the few properties this client reads, so all map to {@link MessageType}.
 */
@XmlType(name = "ArrayOfRealItemsType")
public class ArrayOfRealItemsType {

    @XmlElements({
            @XmlElement(name = "Message", type = MessageType.class),
            @XmlElement(name = "Item", type = MessageType.class),
            @XmlElement(name = "SharingMessage", type = MessageType.class),
            @XmlElement(name = "CalendarItem", type = MessageType.class),
            @XmlElement(name = "Contact", type = MessageType.class),
            @XmlElement(name = "DistributionList", type = MessageType.class),
            @XmlElement(name = "MeetingMessage", type = MessageType.class),
            @XmlElement(name = "MeetingRequest", type = MessageType.class),
            @XmlElement(name = "MeetingResponse", type = MessageType.class),
            @XmlElement(name = "MeetingCancellation", type = MessageType.class),
            @XmlElement(name = "Task", type = MessageType.class),
            @XmlElement(name = "PostItem", type = MessageType.class) })
    private List<MessageType> items;

    ArrayOfRealItemsType() {
    }

    public List<MessageType> items() {
        return items == null ? List.of() : items;
    }
}
