package dev.exchangemaildaemon.simulator.ews;

import java.util.List;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.ItemIds;
import dev.exchangemaildaemon.simulator.ResponseCodes;
import dev.exchangemaildaemon.simulator.SimFolder;
import dev.exchangemaildaemon.simulator.SimMailbox;
import dev.exchangemaildaemon.simulator.StoredItem;

/** Resolves the folder and item ids in a request against the mailbox it reaches. */
final class References {

    private References() {
    }

    /** The {@code t:FolderId} and {@code t:DistinguishedFolderId} children of a container. */
    static List<Element> folderIds(Element container) throws EwsFault {
        List<Element> ids = Dom.children(container);
        for (Element id : ids) {
            if (!Dom.is(id, EwsNamespaces.TYPES, "FolderId") && !Dom.is(id, EwsNamespaces.TYPES, "DistinguishedFolderId")) {
                throw EwsFault.schemaValidation("'" + id.getLocalName() + "' is not a folder id.");
            }
        }
        return ids;
    }

    static SimFolder folder(Element id, EwsContext context) throws ItemError, EwsFault {
        String value = Dom.requiredAttribute(id, "Id");
        SimMailbox mailbox = context.mailbox();
        if (Dom.is(id, EwsNamespaces.TYPES, "DistinguishedFolderId")) {
            requireOwnMailbox(id, mailbox);
            return mailbox.distinguishedFolder(value).orElseThrow(() -> new ItemError(ResponseCodes.FOLDER_NOT_FOUND));
        }
        if (!ItemIds.wellFormed(value)) {
            throw new ItemError(ResponseCodes.INVALID_ID_MALFORMED);
        }
        return mailbox.folder(value).orElseThrow(() -> new ItemError(ResponseCodes.FOLDER_NOT_FOUND));
    }

    /** The single folder id in a container such as {@code m:ToFolderId}. */
    static SimFolder singleFolder(Element container, EwsContext context) throws ItemError, EwsFault {
        List<Element> ids = folderIds(container);
        if (ids.size() != 1) {
            throw EwsFault.schemaValidation("'" + container.getLocalName() + "' must hold exactly one folder id.");
        }
        return folder(ids.get(0), context);
    }

    /** The {@code t:ItemId} children of {@code m:ItemIds}. */
    static List<Element> itemIds(Element container) throws EwsFault {
        List<Element> ids = Dom.children(container);
        for (Element id : ids) {
            if (!Dom.is(id, EwsNamespaces.TYPES, "ItemId")) {
                throw EwsFault.invalidRequest("The simulator resolves t:ItemId only, not " + id.getLocalName() + ".");
            }
        }
        return ids;
    }

    static StoredItem item(Element id, EwsContext context) throws ItemError, EwsFault {
        String value = Dom.requiredAttribute(id, "Id");
        if (!ItemIds.wellFormed(value)) {
            throw new ItemError(ResponseCodes.INVALID_ID_MALFORMED);
        }
        return context.mailbox().item(value).orElseThrow(() -> new ItemError(ResponseCodes.ITEM_NOT_FOUND));
    }

    /**
     * A distinguished folder id may name another mailbox (delegate access). The simulator models access to the
     * mailbox a request reaches only.
     */
    private static void requireOwnMailbox(Element id, SimMailbox mailbox) throws EwsFault {
        var other = Dom.child(id, EwsNamespaces.TYPES, "Mailbox")
                .flatMap(element -> Dom.child(element, EwsNamespaces.TYPES, "EmailAddress"))
                .map(Dom::text)
                .filter(address -> !address.equalsIgnoreCase(mailbox.address()));
        if (other.isPresent()) {
            throw EwsFault.invalidRequest("The simulator does not model delegate access to " + other.get() + ".");
        }
    }
}
