package dev.exchangemaildaemon.ews.types;

import java.util.Arrays;
import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlType;

/** The item shape: the ids only, plus MIME content or named properties on request. */
@XmlType(name = "ItemResponseShapeType", propOrder = { "baseShape", "includeMimeContent", "additionalProperties" })
public class ItemResponseShapeType {

    @XmlElement(name = "BaseShape", required = true)
    private String baseShape = "IdOnly";

    @XmlElement(name = "IncludeMimeContent")
    private Boolean includeMimeContent;

    @XmlElementWrapper(name = "AdditionalProperties")
    @XmlElement(name = "FieldURI")
    private List<PathToUnindexedFieldType> additionalProperties;

    ItemResponseShapeType() {
    }

    public static ItemResponseShapeType idsWithMimeContent() {
        ItemResponseShapeType shape = new ItemResponseShapeType();
        shape.includeMimeContent = true;
        return shape;
    }

    public static ItemResponseShapeType idsWith(String... fieldUris) {
        ItemResponseShapeType shape = new ItemResponseShapeType();
        shape.additionalProperties = Arrays.stream(fieldUris).map(PathToUnindexedFieldType::new).toList();
        return shape;
    }
}
