package dev.exchangemaildaemon.simulator.ews;

import static dev.exchangemaildaemon.simulator.SimulatorClient.MESSAGES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.TYPES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.element;
import static dev.exchangemaildaemon.simulator.SimulatorClient.elements;
import static dev.exchangemaildaemon.simulator.SimulatorClient.itemIdXml;
import static dev.exchangemaildaemon.simulator.SimulatorClient.itemIds;
import static dev.exchangemaildaemon.simulator.SimulatorClient.xml;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** The EWS operations the daemon uses, driven by hand-written SOAP as an app impersonating a mailbox. */
class EwsOperationsTest {

    private static final String APP = "5a1b2c3d-0000-4000-8000-00000000abcd";
    private static final String MAILBOX = "invoices@contoso.com";

    private ExchangeSimulator simulator;
    private SimulatorClient client;
    private String token;

    @BeforeEach
    void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").addMailbox(MAILBOX)
                .addMailbox("orders@contoso.com");
        client = new SimulatorClient(simulator);
        token = client.appToken(APP, "secret");
    }

    @AfterEach
    void stop() {
        simulator.stop();
    }

    @Test
    void findItemFiltersUnreadSortsOldestFirstAndPages() throws Exception {
        List<byte[]> seeded = simulator.seedSampleMessages(MAILBOX);
        simulator.deliver(MAILBOX, "inbox", seeded.get(0), true);

        Document first = ok(findUnread(0, 3));
        Element root = element(first, MESSAGES, "RootFolder");
        assertEquals("3", root.getAttribute("IndexedPagingOffset"));
        assertEquals("4", root.getAttribute("TotalItemsInView"));
        assertEquals("false", root.getAttribute("IncludesLastItemInRange"));
        assertEquals(3, itemIds(first).size());
        Document second = ok(findUnread(3, 3));
        assertEquals("true", element(second, MESSAGES, "RootFolder").getAttribute("IncludesLastItemInRange"));

        List<String> ids = new ArrayList<>(itemIds(first));
        ids.addAll(itemIds(second));
        assertEquals(simulator.messages(MAILBOX, "inbox").stream().filter(m -> !m.read()).map(SimMessage::id)
                .toList(), ids, "oldest first, read message left out");
        Element message = (Element) elements(first, TYPES, "Message").get(0);
        assertEquals(String.valueOf(seeded.get(0).length), text(message, "Size"));
        assertTrue(text(message, "InternetMessageId").endsWith("@simulator.example>"));
        assertTrue(text(message, "DateTimeReceived").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    }

    @Test
    void getItemReturnsTheSeededMimeByteForByteAndErrorsPerUnknownItem() throws Exception {
        List<byte[]> seeded = simulator.seedSampleMessages(MAILBOX);
        List<SimMessage> stored = simulator.messages(MAILBOX, "inbox");
        String unknown = Base64.getEncoder().encodeToString(new byte[112]);

        Document response = ok(getItems(stored.get(3).id(), unknown, stored.get(0).id(), "not-an-id"));

        List<Element> messages = elements(response, MESSAGES, "GetItemResponseMessage");
        assertEquals(List.of("Success", "Error", "Success", "Error"),
                messages.stream().map(m -> m.getAttribute("ResponseClass")).toList());
        assertEquals("ErrorItemNotFound", text(messages.get(1), "ResponseCode"));
        assertEquals("ErrorInvalidIdMalformed", text(messages.get(3), "ResponseCode"));
        List<Element> mime = elements(response, TYPES, "MimeContent");
        assertEquals("UTF-8", mime.get(0).getAttribute("CharacterSet"));
        assertArrayEquals(seeded.get(3), Base64.getDecoder().decode(mime.get(0).getTextContent()));
        assertArrayEquals(seeded.get(0), Base64.getDecoder().decode(mime.get(1).getTextContent()));
        assertTrue(new String(seeded.get(3), StandardCharsets.UTF_8).contains("Content-Transfer-Encoding: base64\r\n"));
    }

    @Test
    void updateItemMarksReadWithANewChangeKey() throws Exception {
        simulator.seedSampleMessages(MAILBOX);
        SimMessage first = simulator.messages(MAILBOX, "inbox").get(0);

        Document response = ok("<m:UpdateItem MessageDisposition=\"SaveOnly\" ConflictResolution=\"AutoResolve\">"
                + "<m:ItemChanges><t:ItemChange>" + itemIdXml(first.id()) + "<t:Updates><t:SetItemField>"
                + "<t:FieldURI FieldURI=\"message:IsRead\"/><t:Message><t:IsRead>true</t:IsRead></t:Message>"
                + "</t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>");

        assertEquals(List.of(first.id()), itemIds(response));
        assertTrue(simulator.messages(MAILBOX, "inbox").get(0).read());
        assertEquals(3, itemIds(ok(findUnread(0, 10))).size());
    }

    @Test
    void moveItemGivesTheItemANewIdInTheTargetFolder() throws Exception {
        simulator.seedSampleMessages(MAILBOX);
        SimMessage first = simulator.messages(MAILBOX, "inbox").get(0);
        Document created = ok("<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"msgfolderroot\"/>"
                + "</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Processed</t:DisplayName></t:Folder>"
                + "</m:Folders></m:CreateFolder>");
        String folderId = element(created, TYPES, "FolderId").getAttribute("Id");

        Document moved = ok("<m:MoveItem><m:ToFolderId><t:FolderId Id=\"" + folderId + "\"/></m:ToFolderId>"
                + "<m:ItemIds>" + itemIdXml(first.id()) + "</m:ItemIds></m:MoveItem>");

        String newId = itemIds(moved).get(0);
        assertNotEquals(first.id(), newId);
        assertEquals(List.of(newId), simulator.messages(MAILBOX, "Processed").stream().map(SimMessage::id).toList());
        assertEquals("ErrorItemNotFound", text(ok(getItems(first.id())).getDocumentElement(), "ResponseCode"));
    }

    @Test
    void findFolderFindsAFolderByDisplayNameAndCreateFolderRefusesADuplicate() throws Exception {
        String create = "<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"msgfolderroot\"/>"
                + "</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Archive 2024</t:DisplayName></t:Folder>"
                + "</m:Folders></m:CreateFolder>";
        String createdId = element(ok(create), TYPES, "FolderId").getAttribute("Id");

        Document found = ok("<m:FindFolder Traversal=\"Shallow\"><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
                + "<t:AdditionalProperties><t:FieldURI FieldURI=\"folder:DisplayName\"/></t:AdditionalProperties>"
                + "</m:FolderShape><m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"folder:DisplayName\"/>"
                + "<t:FieldURIOrConstant><t:Constant Value=\"Archive 2024\"/></t:FieldURIOrConstant></t:IsEqualTo>"
                + "</m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id=\"msgfolderroot\"/>"
                + "</m:ParentFolderIds></m:FindFolder>");

        assertEquals(createdId, element(found, TYPES, "FolderId").getAttribute("Id"));
        assertEquals("1", element(found, MESSAGES, "RootFolder").getAttribute("TotalItemsInView"));
        Document duplicate = ok(create);
        assertEquals("ErrorFolderExists", text(duplicate.getDocumentElement(), "ResponseCode"));
    }

    @Test
    void deleteItemMovesToDeletedItems() throws Exception {
        simulator.seedSampleMessages(MAILBOX);
        SimMessage first = simulator.messages(MAILBOX, "inbox").get(0);

        ok("<m:DeleteItem DeleteType=\"MoveToDeletedItems\"><m:ItemIds>" + itemIdXml(first.id())
                + "</m:ItemIds></m:DeleteItem>");

        assertEquals(3, simulator.messages(MAILBOX, "inbox").size());
        SimMessage deleted = simulator.messages(MAILBOX, "deleteditems").get(0);
        assertArrayEquals(first.mime(), deleted.mime());
        assertNotEquals(first.id(), deleted.id());
    }

    @Test
    void createItemSendsToLocalRecipientsAndKeepsASentCopy() throws Exception {
        ok("<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:SavedItemFolderId>"
                + "<t:DistinguishedFolderId Id=\"sentitems\"/></m:SavedItemFolderId><m:Items><t:Message>"
                + "<t:Subject>Prüfung</t:Subject><t:Body BodyType=\"Text\">Zeile 1\nZeile 2</t:Body>"
                + "<t:ToRecipients><t:Mailbox><t:EmailAddress>orders@contoso.com</t:EmailAddress></t:Mailbox>"
                + "<t:Mailbox><t:EmailAddress>someone@external.example</t:EmailAddress></t:Mailbox>"
                + "</t:ToRecipients></t:Message></m:Items></m:CreateItem>");

        SimMessage received = simulator.messages("orders@contoso.com", "inbox").get(0);
        SimMessage sent = simulator.messages(MAILBOX, "sentitems").get(0);
        assertFalse(received.read());
        assertTrue(sent.read());
        String mime = new String(received.mime(), StandardCharsets.US_ASCII);
        assertTrue(mime.startsWith("From: <" + MAILBOX + ">\r\n"), mime);
        assertTrue(mime.contains("Subject: =?UTF-8?B?UHLDvGZ1bmc=?=\r\n"), mime);
        assertTrue(mime.contains("\r\n\r\nWmVpbGUgMQ0KWmVpbGUgMg==\r\n"), "CRLF body, base64: " + mime);
    }

    @Test
    void createItemFromAnotherSenderIsSendAsDenied() throws Exception {
        Document response = ok("<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message>"
                + "<t:Subject>x</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>orders@contoso.com"
                + "</t:EmailAddress></t:Mailbox></t:ToRecipients><t:From><t:Mailbox><t:EmailAddress>"
                + "ceo@contoso.com</t:EmailAddress></t:Mailbox></t:From></t:Message></m:Items></m:CreateItem>");

        assertEquals("ErrorSendAsDenied", text(response.getDocumentElement(), "ResponseCode"));
        assertTrue(simulator.messages("orders@contoso.com", "inbox").isEmpty());
    }

    @Test
    void createItemToAMalformedRecipientIsErrorInvalidRecipientsNamingIt() throws Exception {
        Document response = ok(sendTo("orders@contoso.com", "not an address"));

        Element message = element(response, MESSAGES, "CreateItemResponseMessage");
        assertEquals("Error", message.getAttribute("ResponseClass"));
        assertEquals("ErrorInvalidRecipients", text(message, "ResponseCode"));
        assertEquals("At least one recipient isn't valid., Recipient \"not an address\" isn't resolved. All"
                + " recipients must be resolved before a message can be submitted.", text(message, "MessageText"));
        assertTrue(simulator.messages("orders@contoso.com", "inbox").isEmpty());
    }

    @Test
    void createItemToARejectedRecipientIsErrorMailRecipientNotFound() throws Exception {
        simulator.rejectRecipient("gone@fabrikam.example");

        Element message = element(ok(sendTo("gone@fabrikam.example")), MESSAGES, "CreateItemResponseMessage");

        assertEquals("Error", message.getAttribute("ResponseClass"));
        assertEquals("ErrorMailRecipientNotFound", text(message, "ResponseCode"));
        assertTrue(text(message, "MessageText").contains("gone@fabrikam.example"));
        simulator.clearFaults();
        assertEquals("NoError", text(ok(sendTo("gone@fabrikam.example")).getDocumentElement(), "ResponseCode"));
    }

    private static String sendTo(String... addresses) {
        StringBuilder xml = new StringBuilder("<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message>"
                + "<t:Subject>Test</t:Subject><t:ToRecipients>");
        for (String address : addresses) {
            xml.append("<t:Mailbox><t:EmailAddress>").append(address).append("</t:EmailAddress></t:Mailbox>");
        }
        return xml.append("</t:ToRecipients></t:Message></m:Items></m:CreateItem>").toString();
    }

    private String findUnread(int offset, int max) {
        return "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
                + "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:DateTimeReceived\"/>"
                + "<t:FieldURI FieldURI=\"item:Size\"/><t:FieldURI FieldURI=\"message:InternetMessageId\"/>"
                + "</t:AdditionalProperties></m:ItemShape>"
                + "<m:IndexedPageItemView MaxEntriesReturned=\"" + max + "\" Offset=\"" + offset
                + "\" BasePoint=\"Beginning\"/>"
                + "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"message:IsRead\"/>"
                + "<t:FieldURIOrConstant><t:Constant Value=\"false\"/></t:FieldURIOrConstant></t:IsEqualTo>"
                + "</m:Restriction><m:SortOrder><t:FieldOrder Order=\"Ascending\">"
                + "<t:FieldURI FieldURI=\"item:DateTimeReceived\"/></t:FieldOrder></m:SortOrder>"
                + "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>";
    }

    private static String getItems(String... ids) {
        StringBuilder xml = new StringBuilder("<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
                + "<t:IncludeMimeContent>true</t:IncludeMimeContent></m:ItemShape><m:ItemIds>");
        for (String id : ids) {
            xml.append(itemIdXml(id));
        }
        return xml.append("</m:ItemIds></m:GetItem>").toString();
    }

    private Document ok(String body) throws Exception {
        HttpResponse<String> response = client.ews(token, MAILBOX, body);
        assertEquals(200, response.statusCode(), response.body());
        Document document = xml(response.body());
        assertEquals(1, elements(document, TYPES, "ServerVersionInfo").size());
        return document;
    }

    private static String text(Element parent, String name) {
        var found = parent.getElementsByTagNameNS("*", name);
        if (found.getLength() == 0) {
            throw new AssertionError("no " + name);
        }
        return found.item(0).getTextContent();
    }
}
