package dev.exchangemaildaemon.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The simulator refuses the message queries Exchange Online refuses behind Graph, with the service's error, and
 * answers those it takes. Each test sends one rule's refused form next to an accepted one.
 */
class GraphQueryRulesTest {

    private static final String APP = "5a1c0e1f-0000-4000-8000-00000000beef";
    private static final String USER = "rules@contoso.com";
    private static final String MESSAGES = "/v1.0/users/" + USER + "/mailFolders/inbox/messages";
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
        simulator.deliver(USER, "inbox", "Message-ID: <old@x>\r\n\r\nold\r\n".getBytes(StandardCharsets.UTF_8), false);
        simulator.deliver(USER, "inbox", "Message-ID: <read@x>\r\n\r\nread\r\n".getBytes(StandardCharsets.UTF_8), true);
        simulator.deliver(USER, "inbox", "Message-ID: <new@x>\r\n\r\nnew\r\n".getBytes(StandardCharsets.UTF_8), false);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    /** GET of the inbox's messages with these OData options, in this order, each value percent-encoded. */
    static HttpResponse<String> list(String... namesAndValues) throws Exception {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            options.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve(MESSAGES + "?" + String.join("&", options)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertRefused(HttpResponse<String> response, String code, String message) throws Exception {
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(code, error.path("code").asText());
        assertEquals(message, error.path("message").asText());
        assertTrue(error.path("innerError").has("request-id"), response.body());
    }

    private static List<String> messageIds(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("value").forEach(m -> ids.add(m.path("internetMessageId").asText()));
        return ids;
    }

    @Test
    void orderByPropertiesMustLeadTheFilter() throws Exception {
        String tooComplex = "The restriction or sort order is too complex for this operation.";
        assertRefused(list("$filter", "isRead eq false", "$orderby", "receivedDateTime"),
                "InefficientFilter", tooComplex);
        assertRefused(list("$filter", "isRead eq false and receivedDateTime ge 1900-01-01T00:00:00Z",
                "$orderby", "receivedDateTime desc"), "InefficientFilter", tooComplex);

        assertEquals(List.of("<old@x>", "<new@x>"), messageIds(list(
                "$filter", "receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false",
                "$orderby", "receivedDateTime")));
        assertEquals(List.of("<new@x>", "<old@x>"), messageIds(list("$filter", "isRead eq false")));
        assertEquals(List.of("<old@x>", "<read@x>", "<new@x>"), messageIds(list("$orderby", "receivedDateTime")));
    }

    @Test
    void topIsAtMostAThousand() throws Exception {
        assertRefused(list("$top", "1001"), "BadRequest", "The value of $top must be between 1 and 1000.");
        assertEquals(3, messageIds(list("$top", "1000")).size());
    }

    @Test
    void unknownPropertiesAreRefusedInEveryOption() throws Exception {
        assertRefused(list("$select", "id,size"), "RequestBroker--ParseUri",
                "Could not find a property named 'size' on type 'microsoft.graph.message'.");
        assertRefused(list("$filter", "isJunk eq false"), "RequestBroker--ParseUri",
                "Could not find a property named 'isJunk' on type 'microsoft.graph.message'.");
        assertRefused(list("$orderby", "received"), "RequestBroker--ParseUri",
                "Could not find a property named 'received' on type 'microsoft.graph.message'.");

        JsonNode selected = JSON.readTree(list("$select", "id,internetMessageId").body()).path("value").get(0);
        assertTrue(selected.has("internetMessageId"));
        assertFalse(selected.has("receivedDateTime"));
    }

    @Test
    void anExtendedPropertyIsExpandedOnlyByItsId() throws Exception {
        assertEquals(400, list("$expand", "singleValueExtendedProperties").statusCode());
        assertRefused(list("$expand", "sizeProperties"), "RequestBroker--ParseUri",
                "Could not find a property named 'sizeProperties' on type 'microsoft.graph.message'.");

        JsonNode expanded = JSON.readTree(list("$expand",
                "singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')").body()).path("value").get(0);
        JsonNode size = expanded.path("singleValueExtendedProperties").get(0);
        assertEquals("Integer 0xe08", size.path("id").asText());
        assertTrue(size.path("value").asInt() > 0);
    }
}
