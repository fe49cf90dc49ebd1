package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.types.FindItemParentType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "FindItemResponseMessageType")
public class FindItemResponseMessageType extends ResponseMessageType {

    @XmlElement(name = "RootFolder")
    private FindItemParentType rootFolder;

    FindItemResponseMessageType() {
    }

    public FindItemParentType rootFolder() {
        return rootFolder;
    }
}
