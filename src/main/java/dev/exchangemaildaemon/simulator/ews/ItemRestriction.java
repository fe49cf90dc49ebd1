package dev.exchangemaildaemon.simulator.ews;

import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * A FindItem restriction as a test on items: {@code IsEqualTo} of {@code message:IsRead} with a boolean (the
 * daemon's unread query), or of {@code message:InternetMessageId} with a string (how it finds a message it sent in
 * Sent Items). An IsEqualTo filter on a string matches exactly, case and all ("Use search filters with EWS in
 * Exchange": a Contains filter is the one whose case sensitivity can be chosen); a message without a Message-ID
 * matches no value.
 */
final class ItemRestriction {

    private static final Set<String> FIELDS = Set.of(PropertySet.IS_READ, PropertySet.INTERNET_MESSAGE_ID);

    private ItemRestriction() {
    }

    static Predicate<StoredItem> of(Element restriction) throws EwsFault {
        Restrictions.Comparison comparison = Restrictions.isEqualTo(restriction, FIELDS);
        String value = comparison.constant();
        if (comparison.field().equals(PropertySet.INTERNET_MESSAGE_ID)) {
            return item -> Objects.equals(item.internetMessageId(), value);
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw EwsFault.schemaValidation("'" + value + "' is not a boolean for " + PropertySet.IS_READ + ".");
        }
        boolean read = Boolean.parseBoolean(value);
        return item -> item.read() == read;
    }
}
