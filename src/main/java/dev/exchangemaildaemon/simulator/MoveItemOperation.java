package dev.exchangemaildaemon.simulator;

import org.w3c.dom.Element;

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
