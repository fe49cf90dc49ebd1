package dev.exchangemaildaemon.graph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.exchangemaildaemon.mailbox.FolderNames;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;

/** One mailbox reached over Microsoft Graph. */
final class GraphMailbox implements Mailbox {

    /** Microsoft Graph's limit on one request, its headers counted with the body. */
    static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024;
    /**
     * Kept free of the body for the request line and headers: the bearer token alone takes a few KB (more with many
     * group claims), the rest a few hundred bytes. 64 KB leaves ample room at a cost of 1.5% of the message size.
     */
    static final long HEADER_HEADROOM = 64L * 1024;
    /** Exchange's code for a message over the size limit. */
    static final String MESSAGE_TOO_LARGE = "ErrorMessageSizeExceeded";

    private final String address;
    private final GraphClient client;
    private final MailboxPaths paths;
    private final FolderNames<String> folders;

    GraphMailbox(String address, GraphClient client, MailboxPaths paths) {
        this.address = address;
        this.client = client;
        this.paths = paths;
        this.folders = new FolderNames<>(new Folders(client, paths));
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void checkFolder(String folder) throws MailboxException {
        folders.inFolder(folder,
                id -> client.get("checkFolder", paths.folder(id) + "?$select=id", GraphJson.Folder.class));
    }

    @Override
    public List<MessageRef> findUnread(String folder) throws MailboxException {
        return folders.inFolder(folder, id -> UnreadMessages.list(client, paths, id));
    }

    /** Several requests in flight, each message streamed from Graph straight to the consumer in its turn. */
    @Override
    public List<ItemFailure> fetchMime(List<MessageRef> messages, MimeConsumer consumer) throws MailboxException {
        return new MimeFetches(client, paths, messages).deliverTo(consumer);
    }

    @Override
    public List<ItemFailure> markRead(List<MessageRef> messages) throws MailboxException {
        return ItemBatches.send(client, "markRead", messages, message -> new ItemBatches.ItemRequest("PATCH",
                paths.message(message.id()), new GraphJson.ReadFlag(true)));
    }

    @Override
    public List<ItemFailure> move(List<MessageRef> messages, String folderName) throws MailboxException {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<ItemFailure> failures = moveTo(messages, folders.findOrCreate(folderName), "move");
        if (failures.stream().anyMatch(failure -> GraphErrors.concernsItem(failure.error()))) {
            // Graph does not say whether the message or the target folder was not found
            folders.forget(folderName);
        }
        return failures;
    }

    @Override
    public List<ItemFailure> delete(List<MessageRef> messages) throws MailboxException {
        return moveTo(messages, Folders.DELETED_ITEMS, "delete");
    }

    @Override
    public void send(OutgoingMessage message) throws MailboxException {
        GraphJson.OutgoingMail mail = new GraphJson.OutgoingMail(message.subject(),
                new GraphJson.Body("Text", message.body()),
                message.to().stream().map(GraphJson.Recipient::of).toList(),
                GraphJson.Recipient.of(message.from()));
        client.send("send", "POST", paths.sendMail(), new GraphJson.SendMail(mail, true), Void.class);
    }

    /**
     * sendMail with the MIME as base64 text/plain, as Graph documents. Graph takes at most 4 MB in one request, headers
     * included ({@link #maxMimeSize}); the message is encoded as it is sent, never held in memory whole.
     *
     * @see <a href="https://learn.microsoft.com/en-us/graph/api/user-sendmail">user: sendMail</a>
     */
    @Override
    public void sendMime(Path mime, long size) throws MailboxException {
        if (size > maxMimeSize()) {
            throw new MailboxException(MESSAGE_TOO_LARGE, MailboxException.Kind.PERMANENT, "the message has " + size
                    + " bytes; Microsoft Graph's sendMail takes at most " + maxMimeSize()
                    + " (4 MB a request, headers included, base64-encoded)");
        }
        if (!Files.isReadable(mime)) {
            throw new MailboxException(MailboxException.LOCAL_DELIVERY, MailboxException.Kind.TRANSIENT,
                    "could not read the message " + mime);
        }
        client.postBase64("send", paths.sendMail(), mime, size);
    }

    @Override
    public List<MessageRef> findSent(String internetMessageId) throws MailboxException {
        return SentMessages.find(client, paths, internetMessageId);
    }

    /** What base64 fits in Graph's 4 MB request beside the headers: 3,096,576 bytes of MIME (3 MB less 48 KB). */
    @Override
    public long maxMimeSize() {
        return (MAX_REQUEST_BYTES - HEADER_HEADROOM) / 4 * 3;
    }

    private List<ItemFailure> moveTo(List<MessageRef> messages, String destination, String operation)
            throws MailboxException {
        return ItemBatches.send(client, operation, messages, message -> new ItemBatches.ItemRequest("POST",
                paths.message(message.id()) + "/move", new GraphJson.Move(destination)));
    }
}
