package dev.exchangemaildaemon.simulator.ews;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.MimeSubmission;
import dev.exchangemaildaemon.simulator.OutgoingMime;
import dev.exchangemaildaemon.simulator.RejectedRecipients;
import dev.exchangemaildaemon.simulator.ResponseCodes;
import dev.exchangemaildaemon.simulator.SimFolder;
import dev.exchangemaildaemon.simulator.SimMailbox;
import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * CreateItem for messages given by properties (Subject, Body, To/Cc/BccRecipients, optionally From), or whole as
 * MIME ({@code t:MimeContent}, see {@link MimeSubmission}).
 * SendOnly and SendAndSaveCopy deliver an unread copy to the inbox of every recipient with a mailbox here;
 * SendAndSaveCopy and SaveOnly keep a read copy in SavedItemFolderId (default Sent Items, or Drafts for SaveOnly).
 * A From other than the mailbox itself is refused, as the simulator grants no Send As rights; so is a message to
 * a malformed or rejected recipient.
 */
public final class CreateItemOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        String disposition = Dom.requiredAttribute(request, "MessageDisposition");
        if (!List.of("SaveOnly", "SendOnly", "SendAndSaveCopy").contains(disposition)) {
            throw EwsFault.schemaValidation("MessageDisposition '" + disposition + "' is not valid.");
        }
        boolean send = !disposition.equals("SaveOnly");
        boolean save = !disposition.equals("SendOnly");
        Optional<Element> savedItemFolderId = Dom.child(request, EwsNamespaces.MESSAGES, "SavedItemFolderId");
        List<Element> messages = Dom.children(Dom.required(request, EwsNamespaces.MESSAGES, "Items"));
        for (Element message : messages) {
            if (!Dom.is(message, EwsNamespaces.TYPES, "Message")) {
                throw EwsFault.invalidRequest("The simulator creates messages (t:Message) only.");
            }
        }
        for (Element message : messages) {
            Optional<Element> mime = Dom.child(message, EwsNamespaces.TYPES, "MimeContent");
            if (mime.isPresent() && !send) {
                throw EwsFault.invalidRequest("The simulator sends MIME content; it does not save it as a draft.");
            }
            try {
                if (mime.isPresent()) {
                    MimeSubmission.send(mimeBytes(mime.get()), context.mailbox(), context.store(),
                            context.rejectedRecipients(), context.clock(),
                            save ? savedItemsFolder(savedItemFolderId, context, true) : null);
                    responses.success(xml -> {
                        xml.start("m", "Items");
                        xml.end();
                    });
                    continue;
                }
                SimFolder savedIn = save ? savedItemsFolder(savedItemFolderId, context, send) : null;
                StoredItem saved = create(message, context, send, savedIn);
                responses.success(xml -> {
                    xml.start("m", "Items");
                    if (saved != null && !send) {
                        ItemXml.messageId(xml, saved);
                    }
                    xml.end();
                });
            } catch (ItemError error) {
                responses.error(error, xml -> { });
            }
        }
    }

    /** The MimeContent's base64, decoded; Exchange refuses text that is not base64 as a schema error. */
    private static byte[] mimeBytes(Element mimeContent) throws EwsFault {
        try {
            return Base64.getDecoder().decode(mimeContent.getTextContent().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw EwsFault.schemaValidation("The element 'MimeContent' has an invalid value according to its data"
                    + " type.");
        }
    }

    /** Sends and/or saves the message; returns the saved copy, or null if none was kept. */
    private static StoredItem create(Element message, EwsContext context, boolean send, SimFolder savedIn)
            throws ItemError {
        SimMailbox sender = context.mailbox();
        Optional<String> from = Dom.child(message, EwsNamespaces.TYPES, "From").map(CreateItemOperation::address);
        if (from.isPresent() && !from.get().equalsIgnoreCase(sender.address())) {
            throw new ItemError(ResponseCodes.SEND_AS_DENIED);
        }
        List<String> to = recipients(message, "ToRecipients");
        List<String> cc = recipients(message, "CcRecipients");
        List<String> bcc = recipients(message, "BccRecipients");
        if (send && to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw new ItemError(ResponseCodes.INVALID_RECIPIENTS);
        }
        if (send) {
            checkRecipients(List.of(to, cc, bcc), context.rejectedRecipients());
        }
        Element body = Dom.child(message, EwsNamespaces.TYPES, "Body").orElse(null);
        byte[] mime = OutgoingMime.build(sender.address(), to, cc,
                Dom.child(message, EwsNamespaces.TYPES, "Subject").map(Dom::text).orElse(""),
                body == null ? "" : body.getTextContent(),
                body != null && "HTML".equals(body.getAttribute("BodyType")),
                context.clock().instant().atZone(ZoneOffset.UTC));
        if (send) {
            Set<String> everyone = new LinkedHashSet<>();
            for (List<String> list : List.of(to, cc, bcc)) {
                list.forEach(address -> everyone.add(address.toLowerCase(Locale.ROOT)));
            }
            for (String address : everyone) {
                context.store().mailbox(address).ifPresent(recipient ->
                        recipient.add(recipient.inbox(), mime, false, context.clock().instant()));
            }
        }
        return savedIn == null ? null : sender.add(savedIn, mime, send, context.clock().instant());
    }

    /**
     * Refuses the message if a recipient is not an address at all (ErrorInvalidRecipients, naming it, as
     * Exchange does) or one {@code ExchangeSimulator.rejectRecipient} made Exchange refuse
     * (ErrorMailRecipientNotFound, with the text Exchange gives when it cannot resolve an address).
     */
    private static void checkRecipients(List<List<String>> lists, RejectedRecipients rejected) throws ItemError {
        for (List<String> list : lists) {
            for (String address : list) {
                if (!RejectedRecipients.wellFormed(address)) {
                    throw new ItemError(ResponseCodes.INVALID_RECIPIENTS, "At least one recipient isn't valid.,"
                            + " Recipient \"" + address + "\" isn't resolved. All recipients must be resolved before"
                            + " a message can be submitted.");
                }
                if (rejected.rejects(address)) {
                    throw new ItemError(ResponseCodes.MAIL_RECIPIENT_NOT_FOUND, "Unable to resolve e-mail address"
                            + " <>SMTP:" + address + " to an Active Directory object.");
                }
            }
        }
    }

    private static SimFolder savedItemsFolder(Optional<Element> savedItemFolderId, EwsContext context, boolean send)
            throws ItemError, EwsFault {
        if (savedItemFolderId.isPresent()) {
            return References.singleFolder(savedItemFolderId.get(), context);
        }
        return context.mailbox().distinguishedFolder(send ? "sentitems" : "drafts").orElseThrow();
    }

    private static List<String> recipients(Element message, String name) {
        List<String> addresses = new ArrayList<>();
        Dom.child(message, EwsNamespaces.TYPES, name).ifPresent(list ->
                Dom.children(list, EwsNamespaces.TYPES, "Mailbox").forEach(mailbox -> addresses.add(address(mailbox))));
        return addresses;
    }

    /** The {@code t:EmailAddress} of a {@code t:Mailbox}, or of the one inside {@code t:From}. */
    private static String address(Element mailboxOrFrom) {
        Element mailbox = Dom.is(mailboxOrFrom, EwsNamespaces.TYPES, "Mailbox") ? mailboxOrFrom
                : Dom.child(mailboxOrFrom, EwsNamespaces.TYPES, "Mailbox").orElse(mailboxOrFrom);
        return Dom.child(mailbox, EwsNamespaces.TYPES, "EmailAddress").map(Dom::text).orElse("");
    }
}
