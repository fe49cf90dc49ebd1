package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "EmailAddressType")
public class EmailAddressType {

    @XmlElement(name = "EmailAddress")
    private String emailAddress;

    EmailAddressType() {
    }

    public EmailAddressType(String emailAddress) {
        this.emailAddress = emailAddress;
    }
}
