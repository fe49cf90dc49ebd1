package dev.exchangemaildaemon.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** Graph's tokens and ids: each API refuses the other's token, and immutable ids survive a move. */
class GraphAccessTest {

    private static final String APP = "5a1c0e1f-0000-4000-8000-00000000cafe";
    private static final String USER = "erp@contoso.com";
    private static final String INBOX = "/v1.0/users/" + USER + "/mailFolders/inbox";
    private static final String GET_INBOX = "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape>"
            + "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExchangeSimulator simulator;
    private static SimulatorClient client;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").registerUser(USER, "pw").addMailbox(USER);
        client = new SimulatorClient(simulator);
        http = HttpClient.newBuilder().sslContext(SimulatorClient.trusting(simulator)).build();
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static String token(String grant, String scope) throws Exception {
        Map<String, String> form = grant.equals("client_credentials")
                ? Map.of("grant_type", grant, "client_id", APP, "client_secret", "secret", "scope", scope)
                : Map.of("grant_type", grant, "client_id", APP, "username", USER, "password", "pw", "scope", scope);
        return SimulatorClient.accessToken(client.token(form));
    }

    private static HttpResponse<String> graph(String token, String method, String path, String body, boolean immutable)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(simulator.baseUri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (immutable) {
            request.header("Prefer", "IdType=\"ImmutableId\"");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }

    @Test
    void aFifthRequestAtOnceToOneMailboxIsThrottled() throws Exception {
        String token = token("client_credentials", "https://graph.microsoft.com/.default");
        simulator.resetCounters();
        // four requests held at the server until the fifth, which finds no free slot, has its answer
        CountDownLatch release = new CountDownLatch(1);
        simulator.graphFault(HttpFault.heldUntil(release).times(5).mailbox(USER));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return graph(token, "GET", INBOX, null, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        HttpResponse<?> first = (HttpResponse<?>) CompletableFuture.anyOf(answers.toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        assertEquals(429, first.statusCode(), "the fifth request at once is refused while four are served");
        release.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertEquals("ApplicationThrottled", code(response));
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
            }
        }
        simulator.clearFaults();
        Collections.sort(statuses);
        assertEquals(List.of(200, 200, 200, 200, 429), statuses);
        assertEquals(4, simulator.peakConcurrentRequests(USER.toUpperCase(Locale.ROOT)));
        simulator.resetCounters();
        assertEquals(200, graph(token, "GET", INBOX, null, true).statusCode());
        assertEquals(1, simulator.peakConcurrentRequests(USER));
    }

    /**
     * A client that sends its next request the moment it has an answer must find the last one done at the server,
     * or a test that counts requests at once (one permit: never two) would fail for the server's lag, not the
     * client's overlap. Many rounds over both APIs, since the lag was a race between two threads.
     */
    @Test
    void aRequestIsDoneAtTheServerBeforeItsClientHasTheAnswer() throws Exception {
        String graphToken = token("client_credentials", "https://graph.microsoft.com/.default");
        String ewsToken = token("client_credentials", "https://outlook.office365.com/.default");
        for (int round = 0; round < 150; round++) {
            assertEquals(200, graph(graphToken, "GET", INBOX, null, true).statusCode());
            assertEquals(0, simulator.requestsInFlight(USER), "Graph, round " + round);
            assertEquals(200, client.ews(ewsToken, USER, GET_INBOX).statusCode());
            assertEquals(0, simulator.requestsInFlight(USER), "EWS, round " + round);
            assertEquals(400, graph(graphToken, "DELETE", "/v1.0/users/" + USER + "/messages/gone", null, true)
                    .statusCode());
            assertEquals(0, simulator.requestsInFlight(USER), "Graph refusing, round " + round);
        }
    }

    @Test
    void graphTokensAreForGraphsOwnIdentifierNotTheUrlGraphIsReachedAt() throws Exception {
        assertEquals(200, graph(token("client_credentials", "https://graph.microsoft.com/.default"), "GET", INBOX,
                null, true).statusCode());
        String delegated = token("password", "https://graph.microsoft.com/Mail.ReadWrite openid profile");
        assertEquals(200, graph(delegated, "GET", "/v1.0/me/mailFolders/inbox", null, true).statusCode());

        for (String grant : new String[] {"client_credentials", "password"}) {
            HttpResponse<String> refused = client.token(grant.equals("client_credentials")
                    ? Map.of("grant_type", grant, "client_id", APP, "client_secret", "secret",
                            "scope", simulator.baseUri() + "/.default")
                    : Map.of("grant_type", grant, "client_id", APP, "username", USER, "password", "pw",
                            "scope", simulator.baseUri() + "/Mail.ReadWrite"));
            JsonNode error = JSON.readTree(refused.body());
            assertEquals(400, refused.statusCode());
            assertEquals("invalid_resource", error.path("error").asText());
            assertTrue(error.path("error_description").asText().startsWith("AADSTS500011: The resource principal"
                    + " named " + simulator.baseUri() + " was not found in the tenant named " + simulator.tenantId()
                    + "."), refused.body());
        }
    }

    @Test
    void eachApiRefusesTheOthersToken() throws Exception {
        String ewsToken = token("client_credentials", "https://outlook.office365.com/.default");
        String graphToken = token("client_credentials", "https://graph.microsoft.com/.default");

        HttpResponse<String> graphWithEwsToken = graph(ewsToken, "GET", INBOX, null, true);
        HttpResponse<String> graphWithoutToken = graph(null, "GET", INBOX, null, true);

        assertEquals(401, graphWithEwsToken.statusCode());
        assertEquals("InvalidAuthenticationToken", code(graphWithEwsToken));
        assertTrue(graphWithEwsToken.body().contains("Invalid audience"));
        assertEquals(401, graphWithoutToken.statusCode());
        assertTrue(graphWithoutToken.body().contains("Access token is empty."));
        assertEquals(401, client.ews(graphToken, USER, GET_INBOX).statusCode());
    }

    @Test
    void immutableIdsSurviveAMoveAndOthersDoNot() throws Exception {
        String token = token("client_credentials", "https://graph.microsoft.com/.default");
        simulator.deliver(USER, "inbox", "Message-ID: <a@b>\r\n\r\nbody\r\n".getBytes(), false);
        simulator.deliver(USER, "inbox", "Message-ID: <c@d>\r\n\r\nbody\r\n".getBytes(), false);
        JsonNode listed = JSON.readTree(graph(token, "GET", INBOX + "/messages?$orderby=receivedDateTime",
                null, true).body()).path("value");
        String immutable = listed.get(0).path("id").asText();
        JsonNode plain = JSON.readTree(graph(token, "GET", INBOX + "/messages?$orderby=receivedDateTime",
                null, false).body()).path("value");
        String mutable = plain.get(1).path("id").asText();

        JsonNode moved = JSON.readTree(graph(token, "POST", "/v1.0/users/" + USER + "/messages/" + immutable
                + "/move", "{\"destinationId\":\"deleteditems\"}", true).body());
        JsonNode movedToo = JSON.readTree(graph(token, "POST", "/v1.0/users/" + USER + "/messages/" + mutable
                + "/move", "{\"destinationId\":\"deleteditems\"}", false).body());

        assertEquals(immutable, moved.path("id").asText());
        assertNotEquals(mutable, movedToo.path("id").asText());
        HttpResponse<String> stale = graph(token, "PATCH", "/v1.0/users/" + USER + "/messages/" + mutable,
                "{\"isRead\":true}", false);
        assertEquals(404, stale.statusCode());
        assertEquals("ErrorItemNotFound", code(stale));
        assertEquals(2, simulator.messages(USER, "deleteditems").size());
    }
}
