package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;

/** A well-known folder such as {@code inbox} or {@code msgfolderroot}, in the mailbox being accessed. */
@XmlType(name = "DistinguishedFolderIdType")
public class DistinguishedFolderIdType extends BaseFolderIdType {

    @XmlAttribute(name = "Id", required = true)
    private String id;

    DistinguishedFolderIdType() {
    }

    public DistinguishedFolderIdType(String id) {
        this.id = id;
    }
}
