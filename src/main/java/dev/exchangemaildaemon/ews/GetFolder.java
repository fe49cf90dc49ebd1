package dev.exchangemaildaemon.ews;

import dev.exchangemaildaemon.ews.messages.FolderInfoResponseMessageType;
import dev.exchangemaildaemon.ews.messages.GetFolderType;
import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Opens a folder, to prove it exists and can be read.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation">GetFolder operation</a>
 */
final class GetFolder {

    private GetFolder() {
    }

    static GetFolderType request(BaseFolderIdType folder) {
        return new GetFolderType(folder);
    }

    static void check(EwsClient client, BaseFolderIdType folder) throws MailboxException {
        Responses.single(client.send(request(folder)), FolderInfoResponseMessageType.class);
    }
}
