package dev.exchangemaildaemon.simulator;

import static dev.exchangemaildaemon.simulator.SimulatorClient.MESSAGES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.TYPES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.element;
import static dev.exchangemaildaemon.simulator.SimulatorClient.elements;
import static dev.exchangemaildaemon.simulator.SimulatorClient.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Folders under folders, over EWS and Graph: found and created under any parent, a same-named folder elsewhere left
 * alone; a duplicate name under one parent (in any case) refused with ErrorFolderExists, and a parent that is gone
 * refused as Exchange refuses it (EWS ErrorFolderNotFound, Graph 404 ErrorItemNotFound).
 */
class NestedFoldersTest {

    private static final String APP = "5a1b2c3d-0000-4000-8000-00000000f01d";
    private static final String MAILBOX = "nested@contoso.com";
    private static final String GRAPH = "/v1.0/users/" + MAILBOX + "/mailFolders/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExchangeSimulator simulator;
    private SimulatorClient client;
    private HttpClient http;

    @BeforeEach
    void start() {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").addMailbox(MAILBOX)
                .createFolder(MAILBOX, "Orders").createFolder(MAILBOX, "inbox/Orders");
        client = new SimulatorClient(simulator);
        http = HttpClient.newBuilder().sslContext(SimulatorClient.trusting(simulator)).build();
    }

    @AfterEach
    void stop() {
        simulator.stop();
    }

    @Test
    void ewsFindsAndCreatesUnderAnyParentAndRefusesADuplicateOrAParentThatIsGone() throws Exception {
        String token = client.appToken(APP, "secret");
        String ordersInInbox = folderIds(ews(token, findFolder("<t:DistinguishedFolderId Id=\"inbox\"/>", "orders")))
                .get(0);
        assertNotEquals(folderIds(ews(token, findFolder("<t:DistinguishedFolderId Id=\"msgfolderroot\"/>",
                "Orders"))).get(0), ordersInInbox);

        String edi = folderIds(ews(token, createFolder(ordersInInbox, "EDI"))).get(0);
        assertEquals(List.of(edi), folderIds(ews(token, findFolder("<t:FolderId Id=\"" + ordersInInbox + "\"/>",
                "EDI"))));
        simulator.deliver(MAILBOX, "Inbox/Orders/EDI", "Message-ID: <edi@x>\r\n\r\nedi\r\n"
                .getBytes(StandardCharsets.UTF_8), false);
        assertEquals(1, simulator.messages(MAILBOX, "inbox/orders/edi").size());
        assertEquals("ErrorFolderExists", responseCode(ews(token, createFolder(ordersInInbox, "edi"))));

        simulator.deleteFolder(MAILBOX, "inbox/Orders");
        assertEquals("ErrorFolderNotFound", responseCode(ews(token, createFolder(ordersInInbox, "EDI"))));
        assertEquals("ErrorFolderNotFound",
                responseCode(ews(token, findFolder("<t:FolderId Id=\"" + edi + "\"/>", "Anything"))));
    }

    @Test
    void graphListsAndCreatesChildFoldersAndRefusesADuplicateOrAParentThatIsGone() throws Exception {
        String token = SimulatorClient.accessToken(client.token(Map.of("grant_type", "client_credentials",
                "client_id", APP, "client_secret", "secret", "scope", "https://graph.microsoft.com/.default")));
        JsonNode inInbox = ok(200, get(token, "inbox/childFolders", "displayName eq 'orders'")).path("value");
        assertEquals(1, inInbox.size());
        String ordersInInbox = inInbox.get(0).path("id").asText();
        String ordersAtRoot = ok(200, get(token, "msgfolderroot/childFolders", "displayName eq 'Orders'"))
                .path("value").get(0).path("id").asText();
        assertNotEquals(ordersAtRoot, ordersInInbox);
        assertEquals(ordersAtRoot, ok(200, get(token, "", "displayName eq 'Orders'")).path("value").get(0)
                .path("id").asText());

        String edi = ok(201, post(token, ordersInInbox + "/childFolders", "EDI")).path("id").asText();
        JsonNode found = ok(200, get(token, ordersInInbox + "/childFolders", "displayName eq 'EDI'")).path("value");
        assertEquals(edi, found.get(0).path("id").asText());
        simulator.deliver(MAILBOX, "inbox/Orders/EDI", "Message-ID: <edi@x>\r\n\r\nedi\r\n"
                .getBytes(StandardCharsets.UTF_8), false);
        assertEquals(1, ok(200, get(token, edi + "/messages", null)).path("value").size());
        assertEquals("EDI", ok(200, get(token, edi, null)).path("displayName").asText());
        refused(409, "ErrorFolderExists", post(token, ordersInInbox + "/childFolders", "edi"));

        simulator.deleteFolder(MAILBOX, "inbox/Orders");
        refused(404, "ErrorItemNotFound", post(token, ordersInInbox + "/childFolders", "EDI"));
        refused(404, "ErrorItemNotFound", get(token, ordersInInbox + "/childFolders", "displayName eq 'EDI'"));
        refused(404, "ErrorItemNotFound", get(token, edi + "/messages", null));
    }

    @Test
    void graphListsAHiddenFolderOnlyWhenAskedToAndEwsFindsItAlways() throws Exception {
        simulator.hideFolder(MAILBOX, "inbox/Orders");
        String token = SimulatorClient.accessToken(client.token(Map.of("grant_type", "client_credentials",
                "client_id", APP, "client_secret", "secret", "scope", "https://graph.microsoft.com/.default")));
        assertEquals(0, ok(200, get(token, "inbox/childFolders", "displayName eq 'Orders'")).path("value").size());
        assertEquals(1, ok(200, get(token, "inbox/childFolders?includeHiddenFolders=true", "displayName eq 'Orders'"))
                .path("value").size());
        assertEquals(1, ok(200, get(token, "msgfolderroot/childFolders", "displayName eq 'Orders'")).path("value")
                .size(), "the other Orders is not hidden");

        String ewsToken = client.appToken(APP, "secret");
        assertEquals(1, folderIds(ews(ewsToken, findFolder("<t:DistinguishedFolderId Id=\"inbox\"/>", "Orders")))
                .size());
    }

    private Document ews(String token, String body) throws Exception {
        HttpResponse<String> response = client.ews(token, MAILBOX, body);
        assertEquals(200, response.statusCode(), response.body());
        return xml(response.body());
    }

    private static String findFolder(String parent, String displayName) {
        return "<m:FindFolder Traversal=\"Shallow\"><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
                + "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"folder:DisplayName\"/><t:FieldURIOrConstant>"
                + "<t:Constant Value=\"" + displayName + "\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
                + "<m:ParentFolderIds>" + parent + "</m:ParentFolderIds></m:FindFolder>";
    }

    private static String createFolder(String parentId, String displayName) {
        return "<m:CreateFolder><m:ParentFolderId><t:FolderId Id=\"" + parentId + "\"/></m:ParentFolderId>"
                + "<m:Folders><t:Folder><t:DisplayName>" + displayName + "</t:DisplayName></t:Folder></m:Folders>"
                + "</m:CreateFolder>";
    }

    private static List<String> folderIds(Document response) {
        assertEquals("NoError", responseCode(response));
        return elements(response, TYPES, "FolderId").stream().map(id -> id.getAttribute("Id")).toList();
    }

    private static String responseCode(Document response) {
        return element(response, MESSAGES, "ResponseCode").getTextContent();
    }

    private HttpResponse<String> get(String token, String path, String filter) throws Exception {
        String query = filter == null ? ""
                : (path.contains("?") ? "&" : "?") + "$filter="
                        + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
        String under = path.isEmpty() ? GRAPH.substring(0, GRAPH.length() - 1) : GRAPH + path;
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve(under + query))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String token, String path, String displayName) throws Exception {
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve(GRAPH + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"" + displayName + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(int status, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void refused(int status, String code, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).path("error").path("code").asText(), response.body());
    }
}
