package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;

/** A property path such as {@code message:IsRead}, sent as {@code t:FieldURI}. */
@XmlType(name = "PathToUnindexedFieldType")
public class PathToUnindexedFieldType {

    @XmlAttribute(name = "FieldURI", required = true)
    private String fieldUri;

    PathToUnindexedFieldType() {
    }

    public PathToUnindexedFieldType(String fieldUri) {
        this.fieldUri = fieldUri;
    }
}
