package dev.exchangemaildaemon.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/**
 * JSON batching as Graph documents it: at most 20 requests, unique ids, dependsOn within the batch, 424, each request
 * throttled on its own.
 */
class GraphBatchRulesTest {

    private static final String APP = "5a1c0e1f-0000-4000-8000-00000000ba7c";
    private static final String USER = "batch@contoso.com";
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
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static ObjectNode getInbox(String id) {
        return JSON.createObjectNode().put("id", id).put("method", "GET")
                .put("url", "/users/" + USER + "/mailFolders/inbox");
    }

    private static HttpResponse<String> batch(List<ObjectNode> requests) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("requests");
        requests.forEach(array::add);
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve("/v1.0/$batch"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertBadRequest(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("BadRequest", JSON.readTree(response.body()).path("error").path("code").asText());
    }

    private static Map<String, Integer> statuses(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Integer> statuses = new HashMap<>();
        for (JsonNode answer : JSON.readTree(response.body()).path("responses")) {
            statuses.put(answer.path("id").asText(), answer.path("status").asInt());
        }
        return statuses;
    }

    @Test
    void aBatchHoldsAtMostTwentyRequests() throws Exception {
        List<ObjectNode> requests = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            requests.add(getInbox(Integer.toString(i)));
        }
        assertBadRequest(batch(requests));
        assertEquals(20, statuses(batch(requests.subList(0, 20))).size());
    }

    @Test
    void everyRequestHasAnIdOfItsOwn() throws Exception {
        assertBadRequest(batch(List.of(getInbox("1"), getInbox("1"))));
        ObjectNode withoutId = getInbox("2");
        withoutId.remove("id");
        assertBadRequest(batch(List.of(withoutId)));
    }

    @Test
    void dependsOnNamesARequestOfTheSameBatch() throws Exception {
        ObjectNode dependent = getInbox("2");
        dependent.putArray("dependsOn").add("7");
        assertBadRequest(batch(List.of(getInbox("1"), dependent)));

        ObjectNode chained = getInbox("2");
        chained.putArray("dependsOn").add("1");
        assertEquals(Map.of("1", 200, "2", 200), statuses(batch(List.of(getInbox("1"), chained))));
    }

    @Test
    void aRequestWhoseDependencyFailedIsAnswered424() throws Exception {
        ObjectNode failing = JSON.createObjectNode().put("id", "1").put("method", "GET")
                .put("url", "/users/" + USER + "/mailFolders/nosuchfolder");
        ObjectNode dependent = getInbox("2");
        dependent.putArray("dependsOn").add("1");
        HttpResponse<String> response = batch(List.of(failing, dependent));

        Map<String, Integer> statuses = statuses(response);
        assertEquals(424, statuses.get("2"));
        assertTrue(statuses.get("1") >= 400, response.body());
    }

    @Test
    void aThrottledRequestInsideABatchIsAnswered429WithItsOwnRetryAfter() throws Exception {
        simulator.throttleGraphOperation("getFolder", 1, Optional.of("2.128"));
        try {
            HttpResponse<String> response = batch(List.of(getInbox("1"), getInbox("2")));

            assertEquals(Map.of("1", 429, "2", 200), statuses(response), "the batch is 200; one request in it 429");
            JsonNode throttled = JSON.readTree(response.body()).path("responses").get(0);
            assertEquals("2.128", throttled.path("headers").path("Retry-After").asText(), throttled.toString());
            assertEquals("TooManyRequests", throttled.path("body").path("error").path("code").asText());
        } finally {
            simulator.clearFaults();
        }
    }
}
