package dev.exchangemaildaemon.ews;

import java.util.List;
import java.util.function.Function;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;

/**
 * Sends batches one after the other, as {@link Batches#send} does, but sends the next batch's request as soon as
 * the current one's is on its way, so that the server's latency for the next passes while the current answer is
 * waited for and read. An answer sent ahead is not read until its turn (HTTP/1.1 flow control holds a long one
 * back meanwhile, so memory stays bounded), and its request counts as that batch's first attempt, retried like
 * any other.
 *
 * <p>At most one request is sent ahead, and only with a permit that is free right now; and before a retry waits
 * for a permit, the one sent ahead gives its own back. So no mailbox waits for a permit while holding one, and
 * mailboxes cannot deadlock, even with a single permit. A request sent ahead and not needed after all (a batch
 * failed, or the server asked to back off) is cancelled; the server may have run it all the same, as it may run
 * a request whose answer gets lost.
 */
final class SendAheadBatches implements EwsClient.Lookahead {

    /** One batch's exchange, whose first attempt is the request that {@link #sentAhead()} hands over, if any. */
    @FunctionalInterface
    interface Exchange {
        List<ItemFailure> send(List<MessageRef> batch, EwsClient.Lookahead lookahead) throws MailboxException;
    }

    private final EwsClient client;
    private final List<List<MessageRef>> batches;
    /** A batch's request, as its exchange's first attempt sends it. */
    private final Function<List<MessageRef>, Object> firstRequest;
    /** The batch being sent, by index. */
    private int current = -1;
    /** The request for the batch being sent, if it was sent ahead and its exchange has not taken it yet. */
    private SentRequest sentForCurrent;
    /** The request for the batch after it, if sent ahead. */
    private SentRequest sentForNext;

    private SendAheadBatches(EwsClient client, List<List<MessageRef>> batches,
            Function<List<MessageRef>, Object> firstRequest) {
        this.client = client;
        this.batches = batches;
        this.firstRequest = firstRequest;
    }

    /** Sends each batch's request, the same for every attempt, and reports the items the server refused. */
    static List<ItemFailure> send(EwsClient client, List<List<MessageRef>> batches,
            Function<List<MessageRef>, Object> request) throws MailboxException {
        return send(client, batches, request,
                (batch, lookahead) -> Responses.failures(batch, client.send(request.apply(batch), lookahead)));
    }

    static List<ItemFailure> send(EwsClient client, List<List<MessageRef>> batches,
            Function<List<MessageRef>, Object> firstRequest, Exchange exchange) throws MailboxException {
        SendAheadBatches sending = new SendAheadBatches(client, batches, firstRequest);
        try {
            return Batches.send(batches, batch -> sending.sendNext(batch, exchange));
        } finally {
            sending.cancelSentAhead();
        }
    }

    private List<ItemFailure> sendNext(List<MessageRef> batch, Exchange exchange) throws MailboxException {
        current++;
        sentForCurrent = sentForNext;
        sentForNext = null;
        return exchange.send(batch, this);
    }

    @Override
    public SentRequest sentAhead() {
        SentRequest sent = sentForCurrent;
        sentForCurrent = null;
        return sent;
    }

    @Override
    public void sent() {
        if (sentForNext == null && current + 1 < batches.size()) {
            sentForNext = client.sendIfPermitFree(firstRequest.apply(batches.get(current + 1))).orElse(null);
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

    private static void cancel(SentRequest sent) {
        if (sent != null) {
            sent.close();
        }
    }
}
