package dev.exchangemaildaemon.ews;

import java.util.List;

import dev.exchangemaildaemon.ews.messages.DeleteItemType;
import dev.exchangemaildaemon.mailbox.MessageRef;

/**
 * Moves messages to Deleted Items.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/deleteitem-operation">DeleteItem operation</a>
 */
final class DeleteItem {

    private DeleteItem() {
    }

    static DeleteItemType request(List<MessageRef> batch) {
        return new DeleteItemType(Batches.ids(batch));
    }
}
