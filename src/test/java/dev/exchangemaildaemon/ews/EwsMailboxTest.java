package dev.exchangemaildaemon.ews;

import static dev.exchangemaildaemon.ews.FakeEws.error;
import static dev.exchangemaildaemon.ews.FakeEws.response;
import static dev.exchangemaildaemon.ews.FakeEws.success;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.ews.FakeEws.Received;
import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.RequestMetrics;

class EwsMailboxTest {

    private final FakeEws ews = startServer();

    @AfterEach
    void stop() {
        ews.close();
    }

    @Test
    void findUnreadPagesUntilTheLastItemIsIncluded() throws Exception {
        ews.answer(200, response("FindItem", success("FindItem",
                "<m:RootFolder IndexedPagingOffset=\"2\" TotalItemsInView=\"3\" IncludesLastItemInRange=\"false\"><t:Items>"
                        + message("AAMkA1", "2024-05-01T08:15:00Z", 1200, "&lt;one@example.com&gt;")
                        + "<t:MeetingRequest><t:ItemId Id=\"AAMkA2\" ChangeKey=\"CwAA\"/>"
                        + "<t:DateTimeReceived>2024-05-01T09:00:00Z</t:DateTimeReceived><t:Size>3400</t:Size>"
                        + "</t:MeetingRequest></t:Items></m:RootFolder>")));
        ews.answer(200, response("FindItem", success("FindItem",
                "<m:RootFolder IndexedPagingOffset=\"3\" TotalItemsInView=\"3\" IncludesLastItemInRange=\"true\"><t:Items>"
                        + message("AAMkA3", "2024-05-02T10:30:00Z", 5600, "&lt;three@example.com&gt;")
                        + "</t:Items></m:RootFolder>")));

        List<MessageRef> unread = mailbox(false).findUnread("Inbox");

        assertEquals(List.of(
                new MessageRef("AAMkA1", Optional.of("<one@example.com>"), Instant.parse("2024-05-01T08:15:00Z"), 1200),
                new MessageRef("AAMkA2", Optional.empty(), Instant.parse("2024-05-01T09:00:00Z"), 3400),
                new MessageRef("AAMkA3", Optional.of("<three@example.com>"), Instant.parse("2024-05-02T10:30:00Z"), 5600)),
                unread);
        List<Received> requests = ews.received();
        assertEquals(2, requests.size());
        assertEquals("0", pageOffset(requests.get(0)));
        assertEquals("2", pageOffset(requests.get(1)));
        assertEquals("inbox", requests.get(0).elements(Namespaces.TYPES, "DistinguishedFolderId").get(0).getAttribute("Id"));
    }

    @Test
    void fetchMimeReportsAMissingItemAndDeliversTheOthers() throws Exception {
        byte[] first = "From: a@example.com\r\nSubject: one\r\n\r\nbody one\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] third = "From: c@example.com\r\nSubject: dr\u00fcei\r\n\r\nbody three\r\n".getBytes(StandardCharsets.UTF_8);
        ews.answer(200, response("GetItem",
                success("GetItem", "<m:Items>" + mimeMessage("AAMkB1", first) + "</m:Items>")
                        + error("GetItem", "ErrorItemNotFound",
                                "The specified object was not found in the store., The process failed to get the correct properties.",
                                "<m:Items/>")
                        + success("GetItem", "<m:Items>" + mimeMessage("AAMkB3", third) + "</m:Items>")));
        List<MessageRef> refs = List.of(ref("AAMkB1", 100), ref("AAMkB2", 100), ref("AAMkB3", 100));
        Map<String, byte[]> delivered = new LinkedHashMap<>();

        List<ItemFailure> failures = mailbox(false).fetchMime(refs,
                (message, mime) -> delivered.put(message.id(), mime.readAllBytes()));

        assertEquals(List.of("AAMkB1", "AAMkB3"), new ArrayList<>(delivered.keySet()));
        assertArrayEquals(first, delivered.get("AAMkB1"));
        assertArrayEquals(third, delivered.get("AAMkB3"));
        assertEquals(1, failures.size());
        assertEquals(refs.get(1), failures.get(0).message());
        assertEquals("ErrorItemNotFound", failures.get(0).error().code());
        assertEquals(MailboxException.Kind.PERMANENT, failures.get(0).error().kind());
        Received request = ews.received().get(0);
        assertEquals(List.of("AAMkB1", "AAMkB2", "AAMkB3"),
                request.elements(Namespaces.TYPES, "ItemId").stream().map(e -> e.getAttribute("Id")).toList());
        assertEquals("true", request.elements(Namespaces.TYPES, "IncludeMimeContent").get(0).getTextContent());
    }

    @Test
    void moveCreatesTheMissingFolderOnceAndRemembersIt() throws Exception {
        ews.answer(200, response("FindFolder", success("FindFolder",
                "<m:RootFolder IndexedPagingOffset=\"0\" TotalItemsInView=\"0\" IncludesLastItemInRange=\"true\"><t:Folders/></m:RootFolder>")));
        ews.answer(200, response("CreateFolder", success("CreateFolder",
                "<m:Folders><t:Folder><t:FolderId Id=\"AAMkNewFolder\" ChangeKey=\"AQAA\"/></t:Folder></m:Folders>")));
        ews.answer(200, response("MoveItem", success("MoveItem", "<m:Items/>")));
        ews.answer(200, response("MoveItem", error("MoveItem", "ErrorItemNotFound", "The specified object was not found in the store.", "")
                + success("MoveItem", "<m:Items/>")));
        Mailbox mailbox = mailbox(true);

        assertEquals(List.of(), mailbox.move(List.of(ref("AAMkC1", 1)), "Processed"));
        List<ItemFailure> failures = mailbox.move(List.of(ref("AAMkC2", 1), ref("AAMkC3", 1)), "Processed");

        assertEquals(List.of("AAMkC2"), failures.stream().map(f -> f.message().id()).toList());
        List<Received> requests = ews.received();
        assertEquals(List.of("FindFolder", "CreateFolder", "MoveItem", "MoveItem"),
                requests.stream().map(Received::operation).toList());
        assertEquals("Processed", requests.get(1).elements(Namespaces.TYPES, "DisplayName").get(0).getTextContent());
        for (Received move : requests.subList(2, 4)) {
            assertEquals("AAMkNewFolder", move.elements(Namespaces.TYPES, "FolderId").get(0).getAttribute("Id"));
        }
    }

    @Test
    void moveToAPathFindsEachFolderUnderTheOneBeforeAndCreatesTheMissingOneThere() throws Exception {
        ews.answer(200, response("FindFolder", success("FindFolder", "<m:RootFolder TotalItemsInView=\"1\""
                + " IncludesLastItemInRange=\"true\"><t:Folders><t:Folder><t:FolderId Id=\"AAMkProcessed\""
                + " ChangeKey=\"AQAA\"/></t:Folder></t:Folders></m:RootFolder>")));
        ews.answer(200, response("FindFolder", success("FindFolder",
                "<m:RootFolder TotalItemsInView=\"0\" IncludesLastItemInRange=\"true\"><t:Folders/></m:RootFolder>")));
        ews.answer(200, response("CreateFolder", error("CreateFolder", "ErrorFolderExists",
                "A folder with the specified name already exists.", "")));
        ews.answer(200, response("FindFolder", success("FindFolder", "<m:RootFolder TotalItemsInView=\"1\""
                + " IncludesLastItemInRange=\"true\"><t:Folders><t:Folder><t:FolderId Id=\"AAMk2026\""
                + " ChangeKey=\"AQAA\"/></t:Folder></t:Folders></m:RootFolder>")));
        ews.answer(200, response("MoveItem", success("MoveItem", "<m:Items/>")));

        assertEquals(List.of(), mailbox(true).move(List.of(ref("AAMkC1", 1)), "Processed/2026"));

        List<Received> requests = ews.received();
        assertEquals(List.of("FindFolder", "FindFolder", "CreateFolder", "FindFolder", "MoveItem"),
                requests.stream().map(Received::operation).toList());
        assertEquals("msgfolderroot", requests.get(0).elements(Namespaces.TYPES, "DistinguishedFolderId").get(0)
                .getAttribute("Id"));
        for (Received underProcessed : requests.subList(1, 4)) {
            assertEquals("AAMkProcessed", underProcessed.elements(Namespaces.TYPES, "FolderId").get(0)
                    .getAttribute("Id"), underProcessed.operation());
        }
        assertEquals("Shallow", requests.get(1).elements(Namespaces.MESSAGES, "FindFolder").get(0)
                .getAttribute("Traversal"));
        assertEquals("2026", requests.get(2).elements(Namespaces.TYPES, "DisplayName").get(0).getTextContent());
        assertEquals("AAMk2026", requests.get(4).elements(Namespaces.TYPES, "FolderId").get(0).getAttribute("Id"));
    }

    @Test
    void throttledBatchStopsTheRemainingBatches() throws Exception {
        StringBuilder messages = new StringBuilder(success("UpdateItem", "<m:Items/>"));
        for (int i = 1; i < Batches.MAX_ITEMS; i++) {
            messages.append(error("UpdateItem", "ErrorServerBusy", "The server cannot service this request right now. Try again later.",
                    "<m:MessageXml><t:Value Name=\"BackOffMilliseconds\">5000</t:Value></m:MessageXml>"));
        }
        List<MessageRef> refs = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            refs.add(ref("AAMkD" + i, 1));
        }
        // the second batch's request is sent ahead, and may arrive first
        ews.answerEach(request -> {
            int items = request.elements(Namespaces.TYPES, "ItemChange").size();
            return FakeEws.xml(200, response("UpdateItem", items == Batches.MAX_ITEMS ? messages.toString()
                    : success("UpdateItem", "<m:Items/>").repeat(items)));
        });

        List<ItemFailure> failures = mailbox(false).markRead(refs);

        List<List<String>> sent = ews.received().stream().map(request -> request
                .elements(Namespaces.TYPES, "ItemId").stream().map(id -> id.getAttribute("Id")).toList()).toList();
        assertTrue(sent.contains(Batches.ids(refs.subList(0, 100))));
        assertTrue(Batches.ids(refs.subList(0, 200)).containsAll(sent.stream().flatMap(List::stream).toList()),
                "the third batch was not sent");
        assertEquals(1, ews.requests("UpdateItem", RequestMetrics.CANCELLED), "the second, sent ahead, was cancelled");
        assertEquals(refs.subList(1, 250), failures.stream().map(ItemFailure::message).toList());
        for (ItemFailure failure : failures) {
            assertEquals("ErrorServerBusy", failure.error().code());
            assertEquals(MailboxException.Kind.TRANSIENT, failure.error().kind());
            assertEquals(Optional.of(Duration.ofMillis(5000)), failure.error().backOff());
        }
    }

    @Test
    void unknownDisplayNameIsFolderNotFound() throws Exception {
        ews.answer(200, response("FindFolder", success("FindFolder",
                "<m:RootFolder IncludesLastItemInRange=\"true\" TotalItemsInView=\"0\"><t:Folders/></m:RootFolder>")));

        MailboxException e = assertThrows(MailboxException.class,
                () -> mailbox(false).checkFolder("Tickets"));

        assertEquals("ErrorFolderNotFound", e.code());
        assertEquals("Tickets", ews.received().get(0).elements(Namespaces.TYPES, "Constant").get(0).getAttribute("Value"));
    }

    static String message(String id, String received, long size, String internetMessageId) {
        return "<t:Message><t:ItemId Id=\"" + id + "\" ChangeKey=\"CQAA\"/><t:DateTimeReceived>" + received
                + "</t:DateTimeReceived><t:Size>" + size + "</t:Size><t:InternetMessageId>" + internetMessageId
                + "</t:InternetMessageId></t:Message>";
    }

    static String mimeMessage(String id, byte[] mime) {
        return "<t:Message><t:MimeContent CharacterSet=\"UTF-8\">" + Base64.getMimeEncoder().encodeToString(mime)
                + "</t:MimeContent><t:ItemId Id=\"" + id + "\" ChangeKey=\"CQAA\"/></t:Message>";
    }

    static MessageRef ref(String id, long size) {
        return new MessageRef(id, Optional.empty(), Instant.parse("2024-05-01T00:00:00Z"), size);
    }

    private static String pageOffset(Received request) {
        return request.elements(Namespaces.MESSAGES, "IndexedPageItemView").get(0).getAttribute("Offset");
    }

    private Mailbox mailbox(boolean appOnly) throws Exception {
        return ews.mailbox("user@example.com", new FakeTokens(appOnly));
    }

    private static FakeEws startServer() {
        try {
            return new FakeEws();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
