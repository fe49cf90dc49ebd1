package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "SingleRecipientType")
public class SingleRecipientType {

    @XmlElement(name = "Mailbox", required = true)
    private EmailAddressType mailbox;

    SingleRecipientType() {
    }

    public SingleRecipientType(String address) {
        this.mailbox = new EmailAddressType(address);
    }
}
