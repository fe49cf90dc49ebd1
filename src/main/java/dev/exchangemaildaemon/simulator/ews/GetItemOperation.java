package dev.exchangemaildaemon.simulator.ews;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.StoredItem;

/** GetItem: one response message per item id, with the MIME content if the shape asks for it. */
final class GetItemOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        PropertySet properties = PropertySet.ofItems(Dom.required(request, EwsNamespaces.MESSAGES, "ItemShape"));
        for (Element id : References.itemIds(Dom.required(request, EwsNamespaces.MESSAGES, "ItemIds"))) {
            try {
                StoredItem item = References.item(id, context);
                responses.success(xml -> {
                    xml.start("m", "Items");
                    ItemXml.message(xml, item, properties);
                    xml.end();
                });
            } catch (ItemError error) {
                responses.error(error.code(), xml -> xml.empty("m", "Items"));
            }
        }
    }
}
