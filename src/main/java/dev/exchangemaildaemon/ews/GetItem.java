package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.ews.MimeContentStream.ResponseReadException;
import dev.exchangemaildaemon.ews.messages.GetItemType;
import dev.exchangemaildaemon.ews.types.ItemResponseShapeType;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.MimeConsumer;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Fetches messages' MIME content, streaming each one from the response to the consumer as it is decoded. When an
 * attempt fails part-way, the retry asks only for the items not yet handed over: each message reaches the consumer
 * once, except one whose stream broke mid-way (the consumer has thrown that copy away), which is asked for again.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getitem-operation-email-message">GetItem operation (email message)</a>
 */
final class GetItem implements ResponseReader<List<ItemFailure>> {

    /**
     * Keeps a response to a size that a broken connection does not cost much of: a retry asks again for the
     * messages not yet handed over. (Its time is bounded by progress, not by size: see {@link EwsClient#exchange}.)
     */
    static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;

    private final List<MessageRef> batch;
    private final MimeConsumer consumer;
    private final List<ItemFailure> failures = new ArrayList<>();
    /** How many items of the batch, from the first, were handed to the consumer or reported as failures. */
    private int settled;
    /** The current attempt's response bytes, with the MimeContent texts taken aside. */
    private MimeContentSplitter splitter;

    private GetItem(List<MessageRef> batch, MimeConsumer consumer) {
        this.batch = batch;
        this.consumer = consumer;
    }

    static GetItemType request(List<MessageRef> batch) {
        return new GetItemType(ItemResponseShapeType.idsWithMimeContent(), Batches.ids(batch));
    }

    static List<ItemFailure> fetch(EwsClient client, List<MessageRef> batch, MimeConsumer consumer,
            EwsClient.Lookahead lookahead) throws MailboxException {
        GetItem fetch = new GetItem(batch, consumer);
        return client.exchange(fetch::unsettledRequest, fetch, lookahead);
    }

    private GetItemType unsettledRequest() {
        return request(batch.subList(settled, batch.size()));
    }

    @Override
    public InputStream parsed(InputStream body) {
        splitter = new MimeContentSplitter(body);
        return splitter;
    }

    /** Reads {@code m:GetItemResponse/m:ResponseMessages}: one GetItemResponseMessage per requested item, in order. */
    @Override
    public List<ItemFailure> read(XMLStreamReader parser) throws XMLStreamException, MailboxException {
        XMLStreamReader xml = splitter == null ? parser : splitter.follow(parser);
        int index = settled;
        try {
            EwsXml.nextStartElement(xml);
            while (nextChild(xml)) {
                if (index == batch.size()) {
                    throw TransportFailures.badResponse("more GetItem response messages than items", null);
                }
                readResponseMessage(xml, batch.get(index++));
            }
        } catch (XMLStreamException e) {
            if (settled == batch.size()) {
                return failures; // only closing tags were lost: every item is done
            }
            throw e;
        }
        if (index != batch.size()) {
            throw TransportFailures.badResponse(index + " GetItem response messages to " + batch.size() + " items", null);
        }
        return failures;
    }

    private void readResponseMessage(XMLStreamReader xml, MessageRef message)
            throws XMLStreamException, MailboxException {
        ResponseStatus status = ResponseStatus.ofClass(xml.getAttributeValue(null, "ResponseClass"));
        boolean succeeded = status.succeeded();
        boolean delivered = false;
        while (nextChild(xml)) {
            switch (xml.getLocalName()) {
                case "Items" -> {
                    if (succeeded) {
                        delivered = readItems(xml, message);
                    } else {
                        EwsXml.skipElement(xml);
                    }
                }
                default -> {
                    if (!status.read(xml)) {
                        EwsXml.skipElement(xml);
                    }
                }
            }
        }
        if (!succeeded) {
            failures.add(new ItemFailure(message, status.error()));
            settled++;
        } else if (!delivered) {
            failures.add(new ItemFailure(message, TransportFailures.badResponse("GetItem returned no MimeContent", null)));
            settled++;
        }
    }

    /** Reads {@code m:Items}, handing the first item's MimeContent to the consumer; true if there was one. */
    private boolean readItems(XMLStreamReader xml, MessageRef message) throws XMLStreamException, MailboxException {
        boolean delivered = false;
        while (nextChild(xml)) {
            while (nextChild(xml)) {
                if ("MimeContent".equals(xml.getLocalName()) && !delivered) {
                    deliver(xml, message);
                    delivered = true;
                } else {
                    EwsXml.skipElement(xml);
                }
            }
        }
        return delivered;
    }

    /**
     * Hands the MimeContent to the consumer: decoded from the response's bytes where the splitter took its text
     * aside (the usual case), from the parser's text otherwise. Either way the reader ends at the element's end.
     */
    private void deliver(XMLStreamReader xml, MessageRef message) throws XMLStreamException, MailboxException {
        InputStream bytes = splitter == null ? null : splitter.take(xml);
        try (InputStream mime = bytes != null ? bytes : new MimeContentStream(xml)) {
            consumer.accept(message, mime);
            settled++;
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ResponseReadException readFailure) {
                    throw readFailure.getCause();
                }
            }
            throw new MailboxException(MailboxException.LOCAL_DELIVERY, MailboxException.Kind.TRANSIENT,
                    "could not store message " + message.id() + " locally: " + e, null, e);
        }
        if (bytes != null && xml.next() != XMLStreamConstants.END_ELEMENT) {
            throw new XMLStreamException("unexpected content in MimeContent", xml.getLocation());
        }
    }

    /** Moves to the next child element of the current element: true at its start, false at the parent's end. */
    private static boolean nextChild(XMLStreamReader xml) throws XMLStreamException {
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
        }
    }
}
