package dev.exchangemaildaemon.ews;

import java.util.List;
import java.util.Objects;

import dev.exchangemaildaemon.ews.messages.FindFolderResponseMessageType;
import dev.exchangemaildaemon.ews.messages.FindFolderType;
import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.ews.types.FolderIdType;
import dev.exchangemaildaemon.ews.types.FolderType;
import dev.exchangemaildaemon.ews.types.RestrictionType;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Finds the folders directly under a parent that have a display name.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/findfolder-operation">FindFolder operation</a>
 */
final class FindFolder {

    private FindFolder() {
    }

    static FindFolderType request(BaseFolderIdType parent, String displayName) {
        return new FindFolderType(parent, RestrictionType.isEqualTo("folder:DisplayName", displayName));
    }

    static List<FolderIdType> byDisplayName(EwsClient client, BaseFolderIdType parent, String displayName)
            throws MailboxException {
        return Responses.single(client.send(request(parent, displayName)), FindFolderResponseMessageType.class)
                .folders().stream().map(FolderType::folderId).filter(Objects::nonNull).toList();
    }
}
