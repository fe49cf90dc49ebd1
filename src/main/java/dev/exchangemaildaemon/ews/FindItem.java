package dev.exchangemaildaemon.ews;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.exchangemaildaemon.ews.messages.FindItemResponseMessageType;
import dev.exchangemaildaemon.ews.messages.FindItemType;
import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.DistinguishedFolderIdType;
import dev.exchangemaildaemon.ews.types.FindItemParentType;
import dev.exchangemaildaemon.ews.types.IndexedPageViewType;
import dev.exchangemaildaemon.ews.types.ItemResponseShapeType;
import dev.exchangemaildaemon.ews.types.MessageType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfFieldOrdersType;
import dev.exchangemaildaemon.ews.types.RestrictionType;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Lists the unread items of a folder, oldest first, a page at a time; finds a sent message in Sent Items.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/finditem-operation">FindItem operation</a>
 */
final class FindItem {

    static final int PAGE_SIZE = 1000;

    private FindItem() {
    }

    static FindItemType request(BaseFolderIdType folder, int offset) {
        return new FindItemType(
                ItemResponseShapeType.idsWith("item:DateTimeReceived", "item:Size", "message:InternetMessageId"),
                new IndexedPageViewType(PAGE_SIZE, offset),
                RestrictionType.isEqualTo("message:IsRead", "false"),
                NonEmptyArrayOfFieldOrdersType.ascending("item:DateTimeReceived"),
                folder);
    }

    static List<MessageRef> unread(EwsClient client, BaseFolderIdType folder) throws MailboxException {
        List<MessageRef> found = new ArrayList<>();
        while (true) {
            FindItemParentType page = Responses.single(client.send(request(folder, found.size())),
                    FindItemResponseMessageType.class).rootFolder();
            if (page == null) {
                throw TransportFailures.badResponse("FindItem returned no RootFolder", null);
            }
            List<MessageType> items = page.items().items();
            for (MessageType item : items) {
                found.add(ref(item));
            }
            if (page.includesLastItemInRange() || items.isEmpty()) {
                return found;
            }
        }
    }

    /**
     * The items in Sent Items with that Internet Message-ID: one unpaged request, as a Message-ID names one
     * message (a handful of copies at most, far below the find count limit).
     */
    static FindItemType sentRequest(String internetMessageId) {
        return new FindItemType(
                ItemResponseShapeType.idsWith("item:DateTimeReceived", "item:Size", "message:InternetMessageId"),
                null,
                RestrictionType.isEqualTo("message:InternetMessageId", internetMessageId),
                null,
                new DistinguishedFolderIdType("sentitems"));
    }

    static List<MessageRef> sent(EwsClient client, String internetMessageId) throws MailboxException {
        FindItemParentType found = Responses.single(client.send(sentRequest(internetMessageId)),
                FindItemResponseMessageType.class).rootFolder();
        if (found == null) {
            throw TransportFailures.badResponse("FindItem returned no RootFolder", null);
        }
        List<MessageRef> refs = new ArrayList<>();
        for (MessageType item : found.items().items()) {
            refs.add(ref(item));
        }
        return refs;
    }

    private static MessageRef ref(MessageType item) throws MailboxException {
        if (item.itemId() == null || item.itemId().id() == null) {
            throw TransportFailures.badResponse("FindItem returned an item without ItemId", null);
        }
        return new MessageRef(item.itemId().id(),
                Optional.ofNullable(item.internetMessageId()),
                item.dateTimeReceived() == null ? Instant.EPOCH : item.dateTimeReceived(),
                item.size() == null ? 0 : item.size());
    }
}
