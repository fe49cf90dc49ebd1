package dev.exchangemaildaemon.simulator.ews;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.SimFolder;
import dev.exchangemaildaemon.simulator.StoredItem;

/** MoveItem: each item moves to the target folder and, as in Exchange, gets a new id there. */
final class MoveItemOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        Element toFolderId = Dom.required(request, EwsNamespaces.MESSAGES, "ToFolderId");
        for (Element id : References.itemIds(Dom.required(request, EwsNamespaces.MESSAGES, "ItemIds"))) {
            try {
                SimFolder target = References.singleFolder(toFolderId, context);
                StoredItem moved = context.mailbox().move(References.item(id, context), target);
                responses.success(xml -> {
                    xml.start("m", "Items");
                    ItemXml.messageId(xml, moved);
                    xml.end();
                });
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }
}
