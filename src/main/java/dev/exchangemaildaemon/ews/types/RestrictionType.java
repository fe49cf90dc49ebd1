package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** A search filter; only the one this client needs, a property equal to a constant. */
@XmlType(name = "RestrictionType")
public class RestrictionType {

    @XmlElement(name = "IsEqualTo", required = true)
    private IsEqualToType isEqualTo;

    RestrictionType() {
    }

    private RestrictionType(IsEqualToType isEqualTo) {
        this.isEqualTo = isEqualTo;
    }

    public static RestrictionType isEqualTo(String fieldUri, String value) {
        return new RestrictionType(new IsEqualToType(fieldUri, value));
    }

    @XmlType(name = "IsEqualToType", propOrder = { "fieldUri", "fieldUriOrConstant" })
    static class IsEqualToType {

        @XmlElement(name = "FieldURI", required = true)
        private PathToUnindexedFieldType fieldUri;

        @XmlElement(name = "FieldURIOrConstant", required = true)
        private FieldURIOrConstantType fieldUriOrConstant;

        IsEqualToType() {
        }

        IsEqualToType(String fieldUri, String value) {
            this.fieldUri = new PathToUnindexedFieldType(fieldUri);
            this.fieldUriOrConstant = new FieldURIOrConstantType(value);
        }
    }

    @XmlType(name = "FieldURIOrConstantType")
    static class FieldURIOrConstantType {

        @XmlElement(name = "Constant", required = true)
        private ConstantValueType constant;

        FieldURIOrConstantType() {
        }

        FieldURIOrConstantType(String value) {
            this.constant = new ConstantValueType(value);
        }
    }

    @XmlType(name = "ConstantValueType")
    static class ConstantValueType {

        @XmlAttribute(name = "Value", required = true)
        private String value;

        ConstantValueType() {
        }

        ConstantValueType(String value) {
            this.value = value;
        }
    }
}
