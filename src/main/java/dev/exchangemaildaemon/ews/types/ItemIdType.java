package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "ItemIdType")
public class ItemIdType {

    @XmlAttribute(name = "Id", required = true)
    private String id;

    ItemIdType() {
    }

    public ItemIdType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
