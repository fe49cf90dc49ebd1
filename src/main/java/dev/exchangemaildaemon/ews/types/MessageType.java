package dev.exchangemaildaemon.ews.types;

import java.time.Instant;
import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;

/**
 * A message, flattened from the schema's ItemType and MessageType: the ItemType properties come first, as the
 * schema orders them. Each use fills in a few properties only.
 */
@XmlType(name = "MessageType", propOrder = { "mimeContent", "itemId", "subject", "body", "dateTimeReceived", "size", "toRecipients",
        "from", "internetMessageId", "isRead" })
public class MessageType {

    @XmlElement(name = "MimeContent")
    private MimeContentType mimeContent;

    @XmlElement(name = "ItemId")
    private ItemIdType itemId;

    @XmlElement(name = "Subject")
    private String subject;

    @XmlElement(name = "Body")
    private BodyType body;

    @XmlElement(name = "DateTimeReceived")
    @XmlJavaTypeAdapter(InstantAdapter.class)
    private Instant dateTimeReceived;

    @XmlElement(name = "Size")
    private Long size;

    @XmlElement(name = "ToRecipients")
    private ArrayOfRecipientsType toRecipients;

    @XmlElement(name = "From")
    private SingleRecipientType from;

    @XmlElement(name = "InternetMessageId")
    private String internetMessageId;

    @XmlElement(name = "IsRead")
    private Boolean isRead;

    MessageType() {
    }

    public static MessageType plainText(String from, List<String> to, String subject, String text) {
        MessageType message = new MessageType();
        message.subject = subject;
        message.body = BodyType.text(text);
        message.toRecipients = new ArrayOfRecipientsType(to);
        message.from = new SingleRecipientType(from);
        return message;
    }

    /** A message given whole as MIME; Exchange takes sender, recipients and everything else from it. */
    public static MessageType mime(MimeContentType mime) {
        MessageType message = new MessageType();
        message.mimeContent = mime;
        return message;
    }

    static MessageType read() {
        MessageType message = new MessageType();
        message.isRead = true;
        return message;
    }

    public ItemIdType itemId() {
        return itemId;
    }

    public Instant dateTimeReceived() {
        return dateTimeReceived;
    }

    public Long size() {
        return size;
    }

    public String internetMessageId() {
        return internetMessageId;
    }
}
