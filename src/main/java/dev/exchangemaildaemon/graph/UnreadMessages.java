package dev.exchangemaildaemon.graph;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Lists a folder's unread messages, oldest first, with a filtered query followed page by page. Not a delta query:
 * the daemon's own record of delivered messages already keeps a message from being delivered twice, a delta link
 * would be a second state to keep consistent with it (and to lose), and "unread in this folder" is exactly the work
 * left, whatever happened to the folder meanwhile.
 */
final class UnreadMessages {

    /** The most Graph returns in one page of messages. */
    static final int PAGE_SIZE = 1000;

    /**
     * Exchange Online refuses ({@code InefficientFilter}) a message query whose {@code $orderby} properties are not
     * also in its {@code $filter}, first and in the same order ("List messages": using filter and orderby in the
     * same query). So the filter leads with a receivedDateTime bound that every message meets.
     */
    static final String FILTER = "receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false";

    /** PidTagMessageSize, the size in bytes Exchange reports; Graph has no property of its own for it. */
    static final String SIZE_PROPERTY = "Integer 0x0E08";

    private UnreadMessages() {
    }

    static List<MessageRef> list(GraphClient client, MailboxPaths paths, String folder) throws MailboxException {
        String query = MailboxPaths.query(MailboxPaths.options(
                "$filter", FILTER,
                "$orderby", "receivedDateTime",
                "$select", "id,internetMessageId,receivedDateTime",
                "$expand", "singleValueExtendedProperties($filter=id eq " + MailboxPaths.literal(SIZE_PROPERTY) + ")",
                "$top", Integer.toString(PAGE_SIZE)));
        List<MessageRef> found = new ArrayList<>();
        String next = paths.folder(folder) + "/messages" + query;
        while (next != null) {
            GraphJson.MessagePage page = client.get("findUnread", next, GraphJson.MessagePage.class);
            if (page.value() == null) {
                throw TransportFailures.badResponse("a message list without 'value'", null);
            }
            for (GraphJson.Message message : page.value()) {
                found.add(ref(message));
            }
            next = page.nextLink();
        }
        return found;
    }

    static MessageRef ref(GraphJson.Message message) throws MailboxException {
        if (message.id() == null || message.receivedDateTime() == null) {
            throw TransportFailures.badResponse("a message without id or receivedDateTime", null);
        }
        try {
            return new MessageRef(message.id(), Optional.ofNullable(message.internetMessageId()),
                    Instant.parse(message.receivedDateTime()), size(message));
        } catch (DateTimeParseException e) {
            throw TransportFailures.badResponse("receivedDateTime '" + message.receivedDateTime() + "' is not a time", e);
        }
    }

    /** The one extended property asked for is the size; 0 if Graph left it out. */
    private static long size(GraphJson.Message message) {
        if (message.singleValueExtendedProperties() == null) {
            return 0;
        }
        return message.singleValueExtendedProperties().stream()
                .map(GraphJson.ExtendedProperty::value)
                .filter(value -> value != null && value.matches("[0-9]{1,18}"))
                .mapToLong(Long::parseLong)
                .findFirst().orElse(0);
    }
}
