package dev.exchangemaildaemon.ews;

import dev.exchangemaildaemon.ews.messages.CreateFolderType;
import dev.exchangemaildaemon.ews.messages.FolderInfoResponseMessageType;
import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.FolderIdType;
import dev.exchangemaildaemon.ews.types.FolderType;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Creates a mail folder.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createfolder-operation">CreateFolder operation</a>
 */
final class CreateFolder {

    private CreateFolder() {
    }

    static CreateFolderType request(BaseFolderIdType parent, String displayName) {
        return new CreateFolderType(parent, FolderType.mailFolder(displayName));
    }

    static FolderIdType create(EwsClient client, BaseFolderIdType parent, String displayName)
            throws MailboxException {
        FolderInfoResponseMessageType created = Responses.single(client.send(request(parent, displayName)),
                FolderInfoResponseMessageType.class);
        if (created.folders().isEmpty() || created.folders().get(0).folderId() == null) {
            throw TransportFailures.badResponse("CreateFolder returned no folder id", null);
        }
        return created.folders().get(0).folderId();
    }
}
