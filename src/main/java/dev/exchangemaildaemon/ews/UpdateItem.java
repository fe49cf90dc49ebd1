package dev.exchangemaildaemon.ews;

import java.util.List;

import dev.exchangemaildaemon.ews.messages.UpdateItemType;
import dev.exchangemaildaemon.ews.types.NonEmptyArrayOfItemChangesType;
import dev.exchangemaildaemon.mailbox.MessageRef;

/**
 * Marks messages as read, without sending the read receipts their senders may have asked for.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/updateitem-operation">UpdateItem operation</a>
 */
final class UpdateItem {

    private UpdateItem() {
    }

    static UpdateItemType request(List<MessageRef> batch) {
        return new UpdateItemType(NonEmptyArrayOfItemChangesType.markRead(Batches.ids(batch)));
    }
}
