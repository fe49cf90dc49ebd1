package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "FolderIdType")
public class FolderIdType extends BaseFolderIdType {

    @XmlAttribute(name = "Id", required = true)
    private String id;

    FolderIdType() {
    }

    public FolderIdType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
