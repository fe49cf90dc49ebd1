package dev.exchangemaildaemon.ews;

import dev.exchangemaildaemon.ews.messages.CreateItemType;
import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.ews.types.MessageType;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;

/**
 * Sends a plain-text message and saves a copy in Sent Items.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createitem-operation-email-message">CreateItem operation (email message)</a>
 */
final class CreateItem {

    private CreateItem() {
    }

    static CreateItemType request(OutgoingMessage message) {
        return new CreateItemType(
                MessageType.plainText(message.from(), message.to(), message.subject(), message.body()));
    }

    static void send(EwsClient client, OutgoingMessage message) throws MailboxException {
        Responses.single(client.sendAtMostOnce(request(message)), ResponseMessageType.class);
    }
}
