package dev.exchangemaildaemon.ews.types;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "ArrayOfRecipientsType")
public class ArrayOfRecipientsType {

    @XmlElement(name = "Mailbox")
    private List<EmailAddressType> mailboxes;

    ArrayOfRecipientsType() {
    }

    public ArrayOfRecipientsType(List<String> addresses) {
        this.mailboxes = addresses.stream().map(EmailAddressType::new).toList();
    }
}
