package dev.exchangemaildaemon.ews;

import static dev.exchangemaildaemon.ews.EwsMailboxTest.mimeMessage;
import static dev.exchangemaildaemon.ews.EwsMailboxTest.ref;
import static dev.exchangemaildaemon.ews.FakeEws.error;
import static dev.exchangemaildaemon.ews.FakeEws.response;
import static dev.exchangemaildaemon.ews.FakeEws.success;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.ews.FakeEws.Received;
import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MessageRef;

/** A retried batch request repeats nothing that the first attempt already did. */
class RetriedBatchesTest {

    private static final List<byte[]> MIME = List.of(mime("one"), mime("two"), mime("three"), mime("four"));
    private static final List<MessageRef> REFS = List.of(ref("AAMk1", 100), ref("AAMk2", 100), ref("AAMk3", 100),
            ref("AAMk4", 100));

    private final FakeEws ews = startServer();
    /** Every complete message the consumer took, by item id, in order; a broken stream adds nothing. */
    private final Map<String, List<byte[]>> taken = new LinkedHashMap<>();
    private final List<String> broken = new ArrayList<>();

    @AfterEach
    void stop() {
        ews.close();
    }

    @Test
    void aGetItemCutOffMidMessageIsRetriedForThatMessageAndTheRestOnly() throws Exception {
        String full = getItemResponse(0, 4);
        int cut = full.indexOf(base64(MIME.get(2))) + 10;
        ews.answer(dropAfter(full, cut)).answer(200, getItemResponse(2, 4));

        List<ItemFailure> failures = mailbox().fetchMime(REFS, this::take);

        assertEquals(List.of(), failures);
        assertEquals(List.of("AAMk3"), broken, "the third message's stream broke in the consumer's hands");
        assertEquals(List.of("AAMk1", "AAMk2", "AAMk3", "AAMk4"), new ArrayList<>(taken.keySet()));
        for (int i = 0; i < REFS.size(); i++) {
            assertEquals(1, taken.get(REFS.get(i).id()).size(), "taken once: " + REFS.get(i).id());
            assertArrayEquals(MIME.get(i), taken.get(REFS.get(i).id()).get(0));
        }
        assertEquals(List.of("AAMk3", "AAMk4"), itemIds(ews.received().get(1)));
        assertEquals(1, ews.requests("GetItem", "CONNECTION"));
    }

    @Test
    void aGetItemCutOffAfterTheLastMessageIsNotRepeated() throws Exception {
        String full = getItemResponse(0, 4);
        ews.answer(dropAfter(full, full.indexOf("</m:ResponseMessages>")));

        List<ItemFailure> failures = mailbox().fetchMime(REFS, this::take);

        assertEquals(List.of(), failures);
        assertEquals(4, taken.size());
        assertEquals(1, ews.received().size());
        assertEquals(List.of(), ews.waits);
    }

    @Test
    void anItemFailureIsNotAskedForAgainWhenTheResponseBreaksAfterIt() throws Exception {
        String full = response("GetItem", success("GetItem", "<m:Items>" + mimeMessage("AAMk1", MIME.get(0))
                + "</m:Items>") + error("GetItem", "ErrorItemNotFound", "The specified object was not found in the store.",
                        "<m:Items/>") + success("GetItem", "<m:Items>" + mimeMessage("AAMk3", MIME.get(2)) + "</m:Items>"));
        ews.answer(dropAfter(full, full.indexOf(base64(MIME.get(2))) + 4))
                .answer(200, getItemResponse(2, 3));

        List<ItemFailure> failures = mailbox().fetchMime(REFS.subList(0, 3), this::take);

        assertEquals(List.of("ErrorItemNotFound"), failures.stream().map(f -> f.error().code()).toList());
        assertEquals(List.of("AAMk3"), itemIds(ews.received().get(1)));
        assertEquals(List.of("AAMk1", "AAMk3"), new ArrayList<>(taken.keySet()));
    }

    @Test
    void aDeleteWhoseAnswerWasLostEndsInPerItemFailuresNotAnError() throws Exception {
        String deleted = response("DeleteItem", success("DeleteItem", "") + success("DeleteItem", ""));
        String gone = error("DeleteItem", "ErrorItemNotFound", "The specified object was not found in the store.", "");
        ews.answer(dropAfter(deleted, 120)).answer(200, response("DeleteItem", gone + gone));

        List<ItemFailure> failures = mailbox().delete(REFS.subList(0, 2));

        assertEquals(List.of("ErrorItemNotFound", "ErrorItemNotFound"),
                failures.stream().map(f -> f.error().code()).toList());
        assertEquals(2, ews.received().size());
    }

    private void take(MessageRef message, InputStream mime) throws IOException {
        byte[] bytes;
        try {
            bytes = mime.readAllBytes();
        } catch (IOException e) {
            broken.add(message.id());
            throw e;
        }
        taken.computeIfAbsent(message.id(), id -> new ArrayList<>()).add(bytes);
    }

    private Mailbox mailbox() throws Exception {
        return ews.mailbox("user@example.com", new FakeTokens(true));
    }

    private static String getItemResponse(int from, int to) {
        StringBuilder messages = new StringBuilder();
        for (int i = from; i < to; i++) {
            messages.append(success("GetItem", "<m:Items>" + mimeMessage(REFS.get(i).id(), MIME.get(i)) + "</m:Items>"));
        }
        return response("GetItem", messages.toString());
    }

    /** The answer's headers with its full length, its first bytes, then the connection drops. */
    private static FakeEws.Answer dropAfter(String body, int bytes) {
        assertTrue(bytes > 0 && bytes < body.length());
        byte[] all = body.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.sendResponseHeaders(200, all.length);
            OutputStream out = exchange.getResponseBody();
            out.write(all, 0, bytes);
            out.flush();
            throw new IOException("connection dropped");
        };
    }

    private static List<String> itemIds(Received request) {
        return request.elements(Namespaces.TYPES, "ItemId").stream().map(e -> e.getAttribute("Id")).toList();
    }

    private static String base64(byte[] mime) {
        return Base64.getMimeEncoder().encodeToString(mime);
    }

    private static byte[] mime(String name) {
        return ("From: a@example.com\r\nSubject: " + name + "\r\n\r\n" + ("body " + name + "\r\n").repeat(200))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static FakeEws startServer() {
        try {
            return new FakeEws();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
