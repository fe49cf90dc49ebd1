package dev.exchangemaildaemon.ews;

import java.util.List;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;

/**
 * Fetches GetItem batches one after the other, as {@link Batches#send} does, but sends the next batch's request
 * as soon as the current one's is on its way, so that the server's latency passes while the current answer is
 * read and written. The answer sent ahead is not read until its turn: HTTP/1.1 flow control holds the server back
 * meanwhile, so memory stays bounded. It counts as that batch's first attempt, retried like any other.
 *
 * <p>At most one request is sent ahead, and only with a permit that is free right now; and before a retry waits
 * for a permit, the one sent ahead gives its own back. So no mailbox waits for a permit while holding one, and
 * mailboxes cannot deadlock, even with a single permit. A request sent ahead and not needed after all (the fetch
 * failed, or the server asked to back off) is cancelled.
 */
final class PrefetchingFetch implements EwsClient.Lookahead {

    private final EwsClient client;
    private final List<List<MessageRef>> batches;
    private final MimeConsumer consumer;
    /** The batch being fetched, by index. */
    private int current = -1;
    /** The request for the batch being fetched, if it was sent ahead and its exchange has not taken it yet. */
    private EwsClient.SentRequest sentForCurrent;
    /** The request for the batch after it, if sent ahead. */
    private EwsClient.SentRequest sentForNext;

    private PrefetchingFetch(EwsClient client, List<List<MessageRef>> batches, MimeConsumer consumer) {
        this.client = client;
        this.batches = batches;
        this.consumer = consumer;
    }

    static List<ItemFailure> fetch(EwsClient client, List<List<MessageRef>> batches, MimeConsumer consumer)
            throws MailboxException {
        PrefetchingFetch fetch = new PrefetchingFetch(client, batches, consumer);
        try {
            return Batches.send(batches, fetch::fetchNext);
        } finally {
            fetch.cancelSentAhead();
        }
    }

    private List<ItemFailure> fetchNext(List<MessageRef> batch) throws MailboxException {
        current++;
        sentForCurrent = sentForNext;
        sentForNext = null;
        return GetItem.fetch(client, batch, consumer, this);
    }

    @Override
    public EwsClient.SentRequest sentAhead() {
        EwsClient.SentRequest sent = sentForCurrent;
        sentForCurrent = null;
        return sent;
    }

    @Override
    public void sent() {
        if (sentForNext == null && current + 1 < batches.size()) {
            sentForNext = client.sendIfPermitFree(GetItem.request(batches.get(current + 1))).orElse(null);
        }
    }

    @Override
    public void waitingForPermit() {
        cancel(sentForNext);
        sentForNext = null;
    }

    private void cancelSentAhead() {
        cancel(sentForCurrent);
        cancel(sentForNext);
    }

    private static void cancel(EwsClient.SentRequest sent) {
        if (sent != null) {
            sent.close();
        }
    }
}
