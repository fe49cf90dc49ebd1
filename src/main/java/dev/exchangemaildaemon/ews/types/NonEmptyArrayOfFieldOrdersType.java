package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "NonEmptyArrayOfFieldOrdersType")
public class NonEmptyArrayOfFieldOrdersType {

    @XmlElement(name = "FieldOrder", required = true)
    private List<FieldOrderType> fieldOrders;

    NonEmptyArrayOfFieldOrdersType() {
    }

    private NonEmptyArrayOfFieldOrdersType(FieldOrderType fieldOrder) {
        this.fieldOrders = List.of(fieldOrder);
    }

    public static NonEmptyArrayOfFieldOrdersType ascending(String fieldUri) {
        return new NonEmptyArrayOfFieldOrdersType(new FieldOrderType(fieldUri, "Ascending"));
    }

    @XmlType(name = "FieldOrderType")
    static class FieldOrderType {

        @XmlElement(name = "FieldURI", required = true)
        private PathToUnindexedFieldType fieldUri;

        @XmlAttribute(name = "Order", required = true)
        private String order;

        FieldOrderType() {
        }

        FieldOrderType(String fieldUri, String order) {
            this.fieldUri = new PathToUnindexedFieldType(fieldUri);
            this.order = order;
        }
    }
}
