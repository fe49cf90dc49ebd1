package dev.exchangemaildaemon.ews;

import java.nio.file.Path;
import java.util.List;

import dev.exchangemaildaemon.ews.types.BaseFolderIdType;
import dev.exchangemaildaemon.mailbox.FolderNames;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;

/** One mailbox reached over EWS. */
final class EwsMailbox implements Mailbox {

    private final String address;
    private final EwsClient client;
    private final FolderNames<BaseFolderIdType> folders;

    EwsMailbox(String address, EwsClient client) {
        this.address = address;
        this.client = client;
        this.folders = new FolderNames<>(new Folders(client));
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void checkFolder(String folder) throws MailboxException {
        folders.inFolder(folder, id -> {
            GetFolder.check(client, id);
            return null;
        });
    }

    @Override
    public List<MessageRef> findUnread(String folder) throws MailboxException {
        return folders.inFolder(folder, id -> FindItem.unread(client, id));
    }

    @Override
    public List<ItemFailure> fetchMime(List<MessageRef> messages, MimeConsumer consumer) throws MailboxException {
        return SendAheadBatches.send(client, Batches.ofCountAndSize(messages, GetItem.MAX_BATCH_BYTES),
                GetItem::request, (batch, lookahead) -> GetItem.fetch(client, batch, consumer, lookahead));
    }

    @Override
    public List<ItemFailure> markRead(List<MessageRef> messages) throws MailboxException {
        return SendAheadBatches.send(client, Batches.ofCount(messages), UpdateItem::request);
    }

    @Override
    public List<ItemFailure> move(List<MessageRef> messages, String folderName) throws MailboxException {
        if (messages.isEmpty()) {
            return List.of();
        }
        BaseFolderIdType target = folders.findOrCreate(folderName);
        List<ItemFailure> failures = SendAheadBatches.send(client, Batches.ofCount(messages),
                batch -> MoveItem.request(target, batch));
        if (failures.stream().anyMatch(failure -> "ErrorToFolderNotFound".equals(failure.error().code()))) {
            folders.forget(folderName);
        }
        return failures;
    }

    @Override
    public List<ItemFailure> delete(List<MessageRef> messages) throws MailboxException {
        return SendAheadBatches.send(client, Batches.ofCount(messages), DeleteItem::request);
    }

    @Override
    public void send(OutgoingMessage message) throws MailboxException {
        CreateItem.send(client, message);
    }

    @Override
    public void sendMime(Path mime, long size) throws MailboxException {
        CreateItem.sendMime(client, mime, size);
    }

    @Override
    public List<MessageRef> findSent(String internetMessageId) throws MailboxException {
        return FindItem.sent(client, internetMessageId);
    }

    /** Exchange Online's largest message; EWS on-premises allows less unless raised. */
    @Override
    public long maxMimeSize() {
        return CreateItem.MAX_MIME_BYTES;
    }
}
