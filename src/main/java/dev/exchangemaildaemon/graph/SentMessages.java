package dev.exchangemaildaemon.graph;

import java.util.ArrayList;
import java.util.List;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Finds the messages in Sent Items with an Internet Message-ID: {@code $filter=internetMessageId eq '<id>'}, which
 * the message resource supports for that property; the value is an OData string literal (a quote inside doubled)
 * and the whole query percent-encoded, as "Use query parameters" asks (a Message-ID may hold {@code +}, {@code /},
 * {@code &}).
 *
 * @see <a href="https://learn.microsoft.com/en-us/graph/api/user-list-messages">List messages</a>
 */
final class SentMessages {

    /** Graph's well-known name of Sent Items. */
    static final String SENT_ITEMS = "sentitems";

    private SentMessages() {
    }

    static List<MessageRef> find(GraphClient client, MailboxPaths paths, String internetMessageId)
            throws MailboxException {
        String query = MailboxPaths.query(MailboxPaths.options(
                "$filter", "internetMessageId eq " + MailboxPaths.literal(internetMessageId),
                "$select", "id,internetMessageId,receivedDateTime"));
        GraphJson.MessagePage page = client.get("findSent", paths.folder(SENT_ITEMS) + "/messages" + query,
                GraphJson.MessagePage.class);
        if (page.value() == null) {
            throw TransportFailures.badResponse("a message list without 'value'", null);
        }
        // one page (10 by default) is plenty: a Message-ID names one message, sent once or a few times
        List<MessageRef> found = new ArrayList<>();
        for (GraphJson.Message message : page.value()) {
            found.add(UnreadMessages.ref(message));
        }
        return found;
    }
}
