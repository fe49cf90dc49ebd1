package dev.exchangemaildaemon.simulator.ews;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.StoredItem;

/** UpdateItem: the simulator models setting {@code message:IsRead}, which gives the item a new change key. */
final class UpdateItemOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        Dom.requiredAttribute(request, "ConflictResolution");
        List<Change> changes = new ArrayList<>();
        for (Element change : Dom.children(Dom.required(request, EwsNamespaces.MESSAGES, "ItemChanges"),
                EwsNamespaces.TYPES, "ItemChange")) {
            changes.add(new Change(Dom.required(change, EwsNamespaces.TYPES, "ItemId"),
                    isReadUpdate(Dom.required(change, EwsNamespaces.TYPES, "Updates"))));
        }
        for (Change change : changes) {
            try {
                StoredItem updated = References.item(change.itemId(), context).withRead(change.read());
                context.mailbox().update(updated);
                responses.success(xml -> {
                    xml.start("m", "Items");
                    ItemXml.messageId(xml, updated);
                    xml.end();
                    xml.start("m", "ConflictResults").leaf("t", "Count", "0").end();
                });
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }

    /** One item's change, read in full before any is applied, so that an invalid request changes nothing. */
    private record Change(Element itemId, boolean read) {
    }

    /** The new value of the single {@code SetItemField message:IsRead} update. */
    private static boolean isReadUpdate(Element updates) throws EwsFault {
        List<Element> setFields = Dom.children(updates);
        Element setField = setFields.size() == 1 ? setFields.get(0) : null;
        boolean isRead = setField != null && Dom.is(setField, EwsNamespaces.TYPES, "SetItemField")
                && Dom.child(setField, EwsNamespaces.TYPES, "FieldURI")
                        .map(field -> field.getAttribute("FieldURI").equals(PropertySet.IS_READ))
                        .orElse(false);
        if (!isRead) {
            throw EwsFault.invalidRequest("The simulator models one SetItemField of " + PropertySet.IS_READ + ".");
        }
        String value = Dom.text(Dom.required(Dom.required(setField, EwsNamespaces.TYPES, "Message"),
                EwsNamespaces.TYPES, "IsRead"));
        if (!value.equals("true") && !value.equals("false")) {
            throw EwsFault.schemaValidation("'" + value + "' is not a boolean for IsRead.");
        }
        return Boolean.parseBoolean(value);
    }
}
