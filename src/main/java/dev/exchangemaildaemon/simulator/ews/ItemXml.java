package dev.exchangemaildaemon.simulator.ews;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import dev.exchangemaildaemon.simulator.StoredItem;

/** Writes {@code t:Message} elements, their properties in the schema's order. */
public final class ItemXml {

    private ItemXml() {
    }

    static void message(XmlOut xml, StoredItem item, PropertySet properties) {
        xml.start("t", "Message");
        if (properties.includeMime()) {
            xml.start("t", "MimeContent").attribute("CharacterSet", "UTF-8")
                    .text(Base64.getEncoder().encodeToString(item.mime())).end();
        }
        itemId(xml, item);
        if (properties.has(PropertySet.DATE_TIME_RECEIVED)) {
            xml.leaf("t", "DateTimeReceived", dateTime(item.received()));
        }
        if (properties.has(PropertySet.SIZE)) {
            xml.leaf("t", "Size", Integer.toString(item.size()));
        }
        if (properties.has(PropertySet.INTERNET_MESSAGE_ID) && item.internetMessageId() != null) {
            xml.leaf("t", "InternetMessageId", item.internetMessageId());
        }
        if (properties.has(PropertySet.IS_READ)) {
            xml.leaf("t", "IsRead", Boolean.toString(item.read()));
        }
        xml.end();
    }

    /** A {@code t:Message} holding only the item's id, as UpdateItem, MoveItem and CreateItem answer. */
    static void messageId(XmlOut xml, StoredItem item) {
        xml.start("t", "Message");
        itemId(xml, item);
        xml.end();
    }

    private static void itemId(XmlOut xml, StoredItem item) {
        xml.empty("t", "ItemId", "Id", item.id(), "ChangeKey", item.changeKey());
    }

    /** An {@code xs:dateTime} in UTC to the second, as Exchange writes them. */
    public static String dateTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
