package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.exchangemaildaemon.delivery.DeliveryKey;
import dev.exchangemaildaemon.delivery.DeliveryLog;

/**
 * What Exchange accepted through the SMTP port, forced to disk before the client gets its 250. A client that lost
 * the reply (it timed out, or the daemon stopped before answering) sends the same transaction again; it is then
 * answered 250 without being sent twice. A message that is still being sent is answered 451 meanwhile. A message
 * without a Message-ID cannot be recognised and is sent each time.
 *
 * <p>If the record cannot be written after Exchange accepted a message (state directory full or read-only), its
 * key is held in memory, so that a retry in this process is still recognised, and written with the next record
 * that succeeds.
 */
final class SubmittedMessages implements AutoCloseable {

    private final DeliveryLog log;
    private final Path file;
    /** Keys of messages Exchange accepted that the record on disk does not hold yet. */
    private final Set<String> unrecorded = ConcurrentHashMap.newKeySet();
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();

    SubmittedMessages(DeliveryLog log, Path file) {
        this.log = log;
        this.file = file;
    }

    static SubmittedMessages open(Path file) throws IOException {
        return new SubmittedMessages(DeliveryLog.open(file), file);
    }

    /**
     * The key of one SMTP transaction: its sender and Message-ID, the blind recipients (envelope recipients missing
     * from the To, Cc and Bcc headers, which the daemon adds as a Bcc header) and the digest of the message bytes.
     * That is what decides who gets what from Exchange, which sends to the headers' recipients: a client's retry of
     * the same transaction has the same key; a relay that splits one message into transactions by recipient (Postfix,
     * {@code smtp_destination_recipient_limit}) or software that reuses a Message-ID for another message (a corrected
     * body, another blind recipient) gets a new key and the message is sent. Later transactions of a split message
     * whose recipients are all in the headers keep the key: Exchange sent to them with the first.
     *
     * <p>Records written by earlier versions (sender and Message-ID only) stay readable but no longer match: the
     * only message that could go twice is one whose reply was lost just before the upgrade and that the client
     * retries just after; matching them still would lose, for good, every later message under the same Message-ID.
     */
    static String key(String sender, String messageId, Collection<String> blindRecipients, byte[] digest) {
        List<String> blind = blindRecipients.stream().map(address -> address.toLowerCase(Locale.ROOT)).distinct()
                .sorted().toList();
        return DeliveryKey.hashed("sent:" + sender.toLowerCase(Locale.ROOT) + " " + messageId + " bcc:"
                + String.join(",", blind) + " sha256:" + HexFormat.of().formatHex(digest));
    }

    boolean accepted(String key) throws IOException {
        return unrecorded.contains(key) || log.state(key) != null;
    }

    /** Takes the message in hand; false if it is already, on another connection. */
    boolean take(String key) {
        return inHand.add(key);
    }

    void release(String key) {
        inHand.remove(key);
    }

    /**
     * Records that Exchange accepted the message, with any earlier one that could not be recorded. When the record
     * cannot be written the key is still held in memory.
     */
    void recordAccepted(String key) throws IOException {
        unrecorded.add(key);
        List<String> keys = new ArrayList<>(unrecorded);
        log.done(keys);
        unrecorded.removeAll(keys);
    }

    /** The record's file in the state directory. */
    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
