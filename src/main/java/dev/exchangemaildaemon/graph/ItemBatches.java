package dev.exchangemaildaemon.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Sends one request per message, grouped into JSON batches ({@code POST /$batch}) sent one after the other. A
 * message whose request failed comes back as an {@link ItemFailure}. Once Graph asks to back off, the remaining
 * batches are not sent: their messages fail with that same error, so that the caller retries them later.
 */
final class ItemBatches {

    /** Graph takes at most 20 requests in one batch. */
    static final int MAX_REQUESTS = 20;

    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json",
            "Prefer", GraphClient.PREFER_IMMUTABLE_IDS);

    /** The request for one message: method, path under the versioned base URL, JSON body. */
    record ItemRequest(String method, String path, Object body) {
    }

    @FunctionalInterface
    interface RequestFor {
        ItemRequest of(MessageRef message);
    }

    private ItemBatches() {
    }

    static List<ItemFailure> send(GraphClient client, String operation, List<MessageRef> messages, RequestFor request)
            throws MailboxException {
        List<ItemFailure> failures = new ArrayList<>();
        MailboxException throttled = null;
        for (int from = 0; from < messages.size(); from += MAX_REQUESTS) {
            List<MessageRef> batch = messages.subList(from, Math.min(messages.size(), from + MAX_REQUESTS));
            if (throttled != null) {
                for (MessageRef message : batch) {
                    failures.add(new ItemFailure(message, throttled));
                }
                continue;
            }
            List<ItemFailure> refused = sendBatch(client, operation, batch, request);
            failures.addAll(refused);
            throttled = refused.stream().map(ItemFailure::error).filter(error -> error.backOff().isPresent())
                    .findFirst().orElse(null);
        }
        return failures;
    }

    private static List<ItemFailure> sendBatch(GraphClient client, String operation, List<MessageRef> batch,
                                               RequestFor request) throws MailboxException {
        List<GraphJson.BatchItem> items = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ItemRequest item = request.of(batch.get(i));
            items.add(new GraphJson.BatchItem(Integer.toString(i), item.method(), item.path(),
                    item.body() == null ? Map.of("Prefer", GraphClient.PREFER_IMMUTABLE_IDS) : JSON_HEADERS,
                    item.body()));
        }
        GraphJson.BatchResponse answer = client.send(operation, "POST", "/$batch", new GraphJson.BatchRequest(items),
                GraphJson.BatchResponse.class);
        Map<String, GraphJson.BatchResult> byId = new HashMap<>();
        if (answer.responses() != null) {
            answer.responses().forEach(result -> byId.put(result.id(), result));
        }
        List<ItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            GraphJson.BatchResult result = byId.get(Integer.toString(i));
            if (result == null) {
                failures.add(new ItemFailure(batch.get(i),
                        TransportFailures.badResponse("the batch answer has no response " + i, null)));
            } else if (result.status() / 100 != 2) {
                failures.add(new ItemFailure(batch.get(i), GraphErrors.of(result.status(), detail(result.body()),
                        header(result.headers(), "Retry-After"))));
            }
        }
        return failures;
    }

    private static Optional<GraphJson.ErrorDetail> detail(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(GraphJson.MAPPER.treeToValue(body, GraphJson.ErrorResponse.class).error());
        } catch (JsonProcessingException notAnError) {
            return Optional.empty();
        }
    }

    private static Optional<String> header(Map<String, String> headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }
}
