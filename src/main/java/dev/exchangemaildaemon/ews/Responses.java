package dev.exchangemaildaemon.ews;

import java.util.ArrayList;
import java.util.List;

import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TransportFailures;

/** Reads response messages: one per request target, in request order. */
final class Responses {

    private Responses() {
    }

    /** The response to a single-target request; its error is thrown. */
    static <T extends ResponseMessageType> T single(List<ResponseMessageType> messages, Class<T> type)
            throws MailboxException {
        if (messages.size() != 1) {
            throw TransportFailures.badResponse(messages.size() + " response messages to a single-target request", null);
        }
        ResponseMessageType message = messages.get(0);
        ResponseStatus status = ResponseStatus.of(message);
        if (!status.succeeded()) {
            throw status.error();
        }
        if (!type.isInstance(message)) {
            throw TransportFailures.badResponse("unexpected " + message.getClass().getSimpleName(), null);
        }
        return type.cast(message);
    }

    /** The items of a batch that the server refused. */
    static List<ItemFailure> failures(List<MessageRef> batch, List<ResponseMessageType> messages)
            throws MailboxException {
        if (messages.size() != batch.size()) {
            throw TransportFailures.badResponse(messages.size() + " response messages to " + batch.size() + " items", null);
        }
        List<ItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ResponseStatus status = ResponseStatus.of(messages.get(i));
            if (!status.succeeded()) {
                failures.add(new ItemFailure(batch.get(i), status.error()));
            }
        }
        return failures;
    }
}
