package dev.exchangemaildaemon.mailbox;

import java.nio.file.Path;
import java.util.List;

/**
 * One mailbox on the server, whatever the protocol (EWS now, Microsoft Graph later). Batch operations
 * report a bad item as a per-item failure in their result; they throw only when the whole call failed.
 */
public interface Mailbox {

    /** The mailbox's primary SMTP address. */
    String address();

    /** Confirms the folder can be opened; throws with the reason if not. */
    void checkFolder(String folder) throws MailboxException;

    /** Every unread message in the folder, oldest first. */
    List<MessageRef> findUnread(String folder) throws MailboxException;

    /**
     * Streams each message's MIME bytes, exactly as the server holds them, to the consumer, one message at a
     * time and in the order given. The stream passed to the consumer is valid only during that call. An
     * IOException thrown by the consumer (a full disk) stops the fetch with code
     * {@link MailboxException#LOCAL_DELIVERY} and the IOException as cause.
     */
    List<ItemFailure> fetchMime(List<MessageRef> messages, MimeConsumer consumer) throws MailboxException;

    List<ItemFailure> markRead(List<MessageRef> messages) throws MailboxException;

    /** Moves the messages to the folder at that path ({@link FolderNames}), creating each missing folder on it. */
    List<ItemFailure> move(List<MessageRef> messages, String folderName) throws MailboxException;

    /** Moves the messages to Deleted Items. */
    List<ItemFailure> delete(List<MessageRef> messages) throws MailboxException;

    /** Sends a message from this mailbox and keeps a copy in its Sent Items. */
    void send(OutgoingMessage message) throws MailboxException;

    /**
     * Sends a message given whole as MIME (sender, recipients, Bcc, attachments all in it) from this mailbox and
     * keeps a copy in its Sent Items. The file is read as the request goes out, not held in memory. Never sent
     * twice by a retry: after an answer that got lost, this throws rather than sending again, an exception whose
     * {@link MailboxException#outcomeUnknown()} says the message may have gone out ({@link #findSent} tells).
     *
     * @param size the file's size in bytes
     */
    void sendMime(Path mime, long size) throws MailboxException;

    /**
     * The messages in this mailbox's Sent Items whose Internet Message-ID (the MIME Message-ID header, with its
     * angle brackets) is that one: how a send whose answer got lost is found to have gone out.
     */
    List<MessageRef> findSent(String internetMessageId) throws MailboxException;

    /** The largest MIME message {@link #sendMime} can send over this transport, in bytes. */
    long maxMimeSize();
}
