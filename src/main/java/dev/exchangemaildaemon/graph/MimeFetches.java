package dev.exchangemaildaemon.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;

/**
 * Fetches the MIME of a list of messages with several {@code $value} requests in flight: Graph has no request for
 * several messages' MIME, and one at a time is bound by latency. Requests are sent in the order given, and each
 * answer is streamed to the consumer in its turn by the calling thread; answers sent ahead of their turn wait
 * unread.
 * <p>
 * An unread answer is not bounded by the network: over HTTP/2 (which real Graph speaks) the JDK client takes up
 * to {@code jdk.httpclient.windowsize} (16 MB) per stream without being read. So the messages in flight together
 * may hold at most {@link #MAX_BYTES_IN_FLIGHT} by the size Exchange reports (the MIME with base64 attachments is
 * up to about a third more), and a message larger than that, or of unknown size, is fetched with nothing else in
 * flight. Whatever the HTTP version, that bounds what waits unread to a few MB, with no need to pin HTTP/1.1.
 */
final class MimeFetches {

    /** Graph answers 429 "MailboxConcurrency" to more requests than this at once to one mailbox. */
    static final int MAX_IN_FLIGHT = 4;
    static final long MAX_BYTES_IN_FLIGHT = 4L * 1024 * 1024;

    private record InFlight(MessageRef message, GraphClient.SentGet request) {
    }

    private final GraphClient client;
    private final MailboxPaths paths;
    private final List<MessageRef> messages;
    /** Sent and not yet taken for streaming, oldest first; during a turn, the next ones after it. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private int sent;

    MimeFetches(GraphClient client, MailboxPaths paths, List<MessageRef> messages) {
        this.client = client;
        this.paths = paths;
        this.messages = messages;
    }

    /** As {@link dev.exchangemaildaemon.mailbox.Mailbox#fetchMime}; requests left unread are cancelled. */
    List<ItemFailure> deliverTo(MimeConsumer consumer) throws MailboxException {
        List<ItemFailure> failures = new ArrayList<>();
        try {
            for (int turn = 0; turn < messages.size(); turn++) {
                MessageRef message = messages.get(turn);
                try {
                    sendAhead(turn);
                    client.stream("fetchMime", inFlight.remove().request(), mime -> {
                        consumer.accept(message, mime);
                        return null;
                    });
                } catch (MailboxException e) {
                    if (e.backOff().isPresent()) {
                        messages.subList(turn, messages.size()).forEach(rest -> failures.add(new ItemFailure(rest, e)));
                        return failures;
                    }
                    if (!GraphErrors.concernsItem(e)) {
                        throw e;
                    }
                    failures.add(new ItemFailure(message, e));
                }
            }
            return failures;
        } finally {
            inFlight.forEach(request -> request.request().cancel());
        }
    }

    /** Sends the message whose turn it is, if not sent yet, and as many after it as may be in flight with it. */
    private void sendAhead(int turn) throws MailboxException {
        while (sent < messages.size() && (inFlight.isEmpty() || fits(messages.get(sent)))) {
            MessageRef message = messages.get(sent);
            try {
                inFlight.add(new InFlight(message, client.sendGet(paths.message(message.id()) + "/$value")));
            } catch (MailboxException noToken) {
                if (sent == turn) {
                    throw noToken;
                }
                // asked for again in its own turn, after the messages before it have been delivered
                return;
            }
            sent++;
        }
    }

    private boolean fits(MessageRef message) {
        long bytes = inFlight.stream().mapToLong(request -> weight(request.message())).sum();
        return inFlight.size() < MAX_IN_FLIGHT && bytes + weight(message) <= MAX_BYTES_IN_FLIGHT;
    }

    /** The reported size; unknown or over the limit counts as just over it, so that it goes alone. */
    private static long weight(MessageRef message) {
        return message.size() > 0 && message.size() <= MAX_BYTES_IN_FLIGHT ? message.size() : MAX_BYTES_IN_FLIGHT + 1;
    }
}
