package dev.exchangemaildaemon.simulator.ews;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.SimFolder;
import dev.exchangemaildaemon.simulator.SimMailbox;
import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * DeleteItem. MoveToDeletedItems moves an item to Deleted Items (with a new id), or removes it if it is there
 * already; SoftDelete and HardDelete remove it from the mailbox's folders.
 */
final class DeleteItemOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        String deleteType = Dom.requiredAttribute(request, "DeleteType");
        if (!deleteType.equals("MoveToDeletedItems") && !deleteType.equals("SoftDelete")
                && !deleteType.equals("HardDelete")) {
            throw EwsFault.schemaValidation("DeleteType '" + deleteType + "' is not valid.");
        }
        SimMailbox mailbox = context.mailbox();
        SimFolder deletedItems = mailbox.distinguishedFolder("deleteditems").orElseThrow();
        for (Element id : References.itemIds(Dom.required(request, EwsNamespaces.MESSAGES, "ItemIds"))) {
            try {
                StoredItem item = References.item(id, context);
                boolean alreadyDeleted = mailbox.folderOf(item.id()).orElseThrow() == deletedItems;
                if (deleteType.equals("MoveToDeletedItems") && !alreadyDeleted) {
                    mailbox.move(item, deletedItems);
                } else {
                    mailbox.remove(item);
                }
                responses.success();
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }
}
