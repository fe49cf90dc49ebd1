package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

@XmlType(name = "BodyType")
public class BodyType {

    @XmlValue
    private String text;

    @XmlAttribute(name = "BodyType", required = true)
    private String bodyType;

    BodyType() {
    }

    public static BodyType text(String text) {
        BodyType body = new BodyType();
        body.text = text;
        body.bodyType = "Text";
        return body;
    }
}
