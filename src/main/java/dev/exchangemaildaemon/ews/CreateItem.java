package dev.exchangemaildaemon.ews;

import java.nio.file.Path;

import dev.exchangemaildaemon.ews.messages.CreateItemType;
import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.ews.types.MessageType;
import dev.exchangemaildaemon.ews.types.MimeContentType;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;

/**
 * Sends a message, plain text or given whole as MIME, and saves a copy in Sent Items.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createitem-operation-email-message">CreateItem operation (email message)</a>
 */
final class CreateItem {

    /** Exchange Online's limit on a message's size: 150 MB. */
    static final long MAX_MIME_BYTES = 150L * 1024 * 1024;

    private CreateItem() {
    }

    static CreateItemType request(OutgoingMessage message) {
        return new CreateItemType(
                MessageType.plainText(message.from(), message.to(), message.subject(), message.body()));
    }

    static void send(EwsClient client, OutgoingMessage message) throws MailboxException {
        Responses.single(client.sendAtMostOnce(request(message)), ResponseMessageType.class);
    }

    /** A message given whole as MIME, streamed from the file into the request. */
    static MimeUpload request(Path mime, long size) {
        String placeholder = MimeUpload.newPlaceholder();
        return new MimeUpload(new CreateItemType(MessageType.mime(new MimeContentType(placeholder))), placeholder,
                mime, size);
    }

    static void sendMime(EwsClient client, Path mime, long size) throws MailboxException {
        Responses.single(client.sendAtMostOnce(request(mime, size)), ResponseMessageType.class);
    }
}
