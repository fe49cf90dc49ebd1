package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.exchangemaildaemon.delivery.DeliveryKey;
import dev.exchangemaildaemon.delivery.DeliveryLog;

/**
 * What Exchange accepted through the SMTP port, by sender and Message-ID, forced to disk before the client gets its
 * 250. A client that lost the reply (it timed out, or the daemon stopped before answering) sends the message again;
 * it is then answered 250 without being sent twice. A message that is still being sent is answered 451 meanwhile.
 * A message without a Message-ID cannot be recognised and is sent each time.
 */
final class SubmittedMessages implements AutoCloseable {

    private final DeliveryLog log;
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();

    private SubmittedMessages(DeliveryLog log) {
        this.log = log;
    }

    static SubmittedMessages open(Path file) throws IOException {
        return new SubmittedMessages(DeliveryLog.open(file));
    }

    static String key(String sender, String messageId) {
        return DeliveryKey.hashed("sent:" + sender.toLowerCase(Locale.ROOT) + " " + messageId);
    }

    boolean accepted(String key) throws IOException {
        return log.state(key) != null;
    }

    /** Takes the message in hand; false if it is already, on another connection. */
    boolean take(String key) {
        return inHand.add(key);
    }

    void release(String key) {
        inHand.remove(key);
    }

    void recordAccepted(String key) throws IOException {
        log.done(List.of(key));
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
