package dev.exchangemaildaemon.ews;

import java.util.List;

import dev.exchangemaildaemon.ews.messages.MoveItemType;
import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.mailbox.MessageRef;

/**
 * Moves messages to another folder.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/moveitem-operation">MoveItem operation</a>
 */
final class MoveItem {

    private MoveItem() {
    }

    static MoveItemType request(BaseFolderIdType toFolder, List<MessageRef> batch) {
        return new MoveItemType(toFolder, Batches.ids(batch));
    }
}
