package dev.exchangemaildaemon.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/**
 * {@code $filter=internetMessageId eq '...'} on a message list, as the daemon finds a sent message in Sent Items:
 * the value is an OData string literal (quotes inside doubled), matched exactly; an unquoted value or a lone quote
 * inside is refused (400), never read loosely.
 */
class InternetMessageIdFilterTest {

    private static final String APP = "5a1c0e1f-0000-4000-8000-00000000cafe";
    private static final String USER = "filter@contoso.com";
    private static final String SENT_ITEMS = "/v1.0/users/" + USER + "/mailFolders/sentitems/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExchangeSimulator simulator;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").addMailbox(USER);
        http = HttpClient.newBuilder().sslContext(SimulatorClient.trusting(simulator)).build();
        token = SimulatorClient.accessToken(new SimulatorClient(simulator).token(Map.of("grant_type",
                "client_credentials", "client_id", APP, "client_secret", "secret",
                "scope", "https://graph.microsoft.com/.default")));
        simulator.deliver(USER, "sentitems", "Message-ID: <o'neil+1@x>\r\n\r\none\r\n".getBytes(StandardCharsets.UTF_8),
                true);
        simulator.deliver(USER, "sentitems", "Message-ID: <other@x>\r\n\r\ntwo\r\n".getBytes(StandardCharsets.UTF_8),
                true);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @Test
    void aQuotedMessageIdFindsThatMessageOnly() throws Exception {
        HttpResponse<String> found = list("internetMessageId eq '<o''neil+1@x>'");

        assertEquals(200, found.statusCode(), found.body());
        assertEquals(List.of("<o'neil+1@x>"), ids(found));
        assertEquals(List.of(), ids(list("internetMessageId eq '<O''NEIL+1@x>'")), "exact match");
    }

    @Test
    void anUnquotedValueOrALoneQuoteIsRefused() throws Exception {
        assertEquals(400, list("internetMessageId eq <other@x>").statusCode());
        assertEquals(400, list("internetMessageId eq '<o'neil+1@x>'").statusCode());
    }

    private static HttpResponse<String> list(String filter) throws Exception {
        String query = "$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")
                + "&$select=id,internetMessageId";
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve(SENT_ITEMS + "?" + query))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        for (JsonNode message : JSON.readTree(response.body()).path("value")) {
            ids.add(message.path("internetMessageId").asText());
        }
        return ids;
    }
}
