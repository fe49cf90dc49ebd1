package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

/** A whole message as base64 MIME: {@code t:MimeContent}, the first property of an item. */
@XmlType(name = "MimeContentType")
public class MimeContentType {

    @XmlValue
    private String base64;

    MimeContentType() {
    }

    public MimeContentType(String base64) {
        this.base64 = base64;
    }
}
