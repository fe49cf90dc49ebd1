package dev.exchangemaildaemon.simulator.graph;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import dev.exchangemaildaemon.simulator.AnswerEnd;
import dev.exchangemaildaemon.simulator.EwsAnswer;
import dev.exchangemaildaemon.simulator.EwsCall;
import dev.exchangemaildaemon.simulator.EwsFaults;
import dev.exchangemaildaemon.simulator.FaultAction;
import dev.exchangemaildaemon.simulator.GraphRequestRecord;
import dev.exchangemaildaemon.simulator.HttpExchanges;
import dev.exchangemaildaemon.simulator.MailStore;
import dev.exchangemaildaemon.simulator.MailboxFaults;
import dev.exchangemaildaemon.simulator.RequestLog;
import dev.exchangemaildaemon.simulator.SimMailbox;
import dev.exchangemaildaemon.simulator.entra.AccessToken;
import dev.exchangemaildaemon.simulator.entra.IssuedTokens;

/**
 * Microsoft Graph's mail API under {@code /v1.0}, over the same mailboxes as EWS. Checks the bearer token (one for
 * Graph; an EWS token is refused as Graph refuses it), decides which mailbox a request reaches (app-only tokens
 * name it as {@code /users/{address}} and need the application permission; delegated tokens reach their user's own,
 * also as {@code /me}), applies injected faults, and answers with {@link GraphMailOperations}. {@code POST /$batch}
 * runs up to 20 requests and answers each in its own response.
 */
public final class GraphEndpoint {

    public static final String VERSION = "/v1.0";

    private static final System.Logger LOG = System.getLogger(GraphEndpoint.class.getName());
    private static final int MAX_BATCH = 20;
    /** Graph answers 429 when an app has more requests than this in progress against one mailbox. */
    private static final int MAILBOX_CONCURRENCY = 4;
    private static final Duration CONCURRENCY_GRACE = Duration.ofMillis(200);
    /** The Microsoft Graph service principal, as named in its challenges. */
    private static final String CHALLENGE = "Bearer realm=\"\", authorization_uri=\"%s\","
            + " client_id=\"00000003-0000-0000-c000-000000000000\"";

    private final IssuedTokens tokens;
    private final MailStore store;
    private final MailboxFaults mailboxFaults;
    private final EwsFaults faults;
    private final ThrottledRequests throttledRequests;
    private final RequestLog log;
    private final Clock clock;
    private final GraphMailOperations operations;
    private final String challenge;

    public GraphEndpoint(IssuedTokens tokens, MailStore store, MailboxFaults mailboxFaults, EwsFaults faults,
                  ThrottledRequests throttledRequests, RequestLog log, Clock clock, GraphMailOperations operations,
                  String authorizationUri) {
        this.tokens = tokens;
        this.store = store;
        this.mailboxFaults = mailboxFaults;
        this.faults = faults;
        this.throttledRequests = throttledRequests;
        this.log = log;
        this.clock = clock;
        this.operations = operations;
        this.challenge = String.format(CHALLENGE, authorizationUri);
    }

    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("request-id", UUID.randomUUID().toString());
        // Read before any answer, so that a refused request leaves the connection fit for the next one.
        byte[] body = HttpExchanges.body(exchange);
        if (RequestLimit.exceeded(exchange, body)) {
            error(GraphError.requestTooLarge()).send(exchange);
            return;
        }
        Optional<AccessToken> authorized = authorize(exchange);
        if (authorized.isEmpty()) {
            return;
        }
        AccessToken token = authorized.get();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath().substring(VERSION.length());
        GraphRequest request = new GraphRequest(method, path,
                GraphRequest.parseQuery(exchange.getRequestURI().getRawQuery()), body,
                GraphRequest.prefersImmutableIds(exchange.getRequestHeaders().getFirst("Prefer")));
        if (method.equals("POST") && path.equals("/$batch")) {
            log.graphRequest(new GraphRequestRecord("$batch", token.principal(), null, request.immutableIds()));
            answerWithFaults(exchange, new EwsCall("$batch", null, token.clientId()), () -> batch(request, token));
            return;
        }
        Optional<GraphRoute> route = GraphRoute.parse(method, path);
        if (route.isEmpty()) {
            LOG.log(Level.WARNING, "Graph request {0} {1} is not simulated", method, exchange.getRequestURI());
            error(GraphError.badRequest("The simulator does not serve " + method + " " + path + ".")).send(exchange);
            return;
        }
        String mailbox = mailboxOf(route.get(), token);
        log.graphRequest(new GraphRequestRecord(route.get().operation(), token.principal(), mailbox,
                request.immutableIds()));
        if (!admitted(mailbox)) {
            throttled(exchange);
            return;
        }
        AnswerEnd.register(exchange, () -> log.end(mailbox));
        try {
            answerWithFaults(exchange, new EwsCall(route.get().operation(), mailbox, token.clientId()),
                    () -> answer(route.get(), request, token));
        } finally {
            AnswerEnd.now(exchange);
        }
    }

    /**
     * Whether the request may start now under Graph's limit of 4 at once per mailbox. It waits a moment for a slot
     * first: a client that has read the last byte of an answer may send its next request before this side has
     * counted the answer as finished, and that race must not turn into a 429.
     */
    private boolean admitted(String mailbox) throws IOException {
        long deadline = System.nanoTime() + CONCURRENCY_GRACE.toNanos();
        while (!log.tryBegin(mailbox, MAILBOX_CONCURRENCY)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return true;
    }

    /** Graph's answer to a fifth request at once to one mailbox. */
    private void throttled(HttpExchange exchange) throws IOException {
        EwsAnswer throttled = GraphAnswers.error(GraphError.throttled(), clock);
        Map<String, String> headers = new LinkedHashMap<>(throttled.headers());
        headers.put("Retry-After", "1");
        new EwsAnswer(429, headers, throttled.body()).send(exchange);
    }

    private void answerWithFaults(HttpExchange exchange, EwsCall call, Supplier<EwsAnswer> answer)
            throws IOException {
        Optional<FaultAction> fault = faults.claim(call, clock.instant());
        if (fault.isPresent()) {
            fault.get().answer(exchange, answer);
        } else {
            answer.get().send(exchange);
        }
    }

    /** The answer to one request, alone or inside a batch: each is held to throttling on its own. */
    private EwsAnswer answer(GraphRoute route, GraphRequest request, AccessToken token) {
        Optional<EwsAnswer> throttledAnswer = throttledRequests.claim(route.operation(), clock);
        if (throttledAnswer.isPresent()) {
            return throttledAnswer.get();
        }
        try {
            if (route.user() == null && token.kind() == AccessToken.Kind.APP_ONLY) {
                throw new GraphFault(GraphError.meWithAppToken());
            }
            String address = mailboxOf(route, token);
            if (token.kind() == AccessToken.Kind.DELEGATED && !address.equalsIgnoreCase(token.principal())) {
                throw new GraphFault(GraphError.accessDenied());
            }
            String permission = route.operation().equals("sendMail") ? "Mail.Send" : "Mail.ReadWrite";
            if (!token.permissions().contains(permission)) {
                throw new GraphFault(GraphError.accessDenied());
            }
            synchronized (store) {
                Optional<String> injected = mailboxFaults.codeFor(address);
                if (injected.isPresent()) {
                    throw new GraphFault(GraphError.forMailbox(injected.get(), address));
                }
                SimMailbox mailbox = store.mailbox(address)
                        .orElseThrow(() -> new GraphFault(GraphError.invalidUser(address)));
                return operations.execute(route, request, mailbox);
            }
        } catch (GraphFault fault) {
            return error(fault.error());
        }
    }

    /**
     * Runs each request of the batch as if it came alone, with the batch's token, and answers all in one. As Graph's
     * JSON batching documents: 1 to 20 requests, each with an id unique in the batch, a method and a url; a
     * {@code dependsOn} names requests of the same batch (here: earlier ones, which run first), and a request whose
     * dependency failed is not run but answered 424 Failed Dependency. Microsoft documents these rules and the 424,
     * not the wording of the errors.
     */
    private EwsAnswer batch(GraphRequest batch, AccessToken token) {
        JsonNode requests;
        try {
            requests = GraphAnswers.MAPPER.readTree(batch.body()).path("requests");
        } catch (IOException e) {
            return error(GraphError.badRequest("The batch is not JSON: " + e.getMessage()));
        }
        Optional<String> invalid = invalidBatch(requests);
        if (invalid.isPresent()) {
            return error(GraphError.badRequest(invalid.get()));
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        Map<String, Integer> statusById = new HashMap<>();
        for (JsonNode item : requests) {
            String id = item.path("id").asText();
            boolean dependencyFailed = false;
            for (JsonNode dependency : item.path("dependsOn")) {
                dependencyFailed |= statusById.get(dependency.asText()) / 100 != 2;
            }
            Map<String, Object> response = dependencyFailed
                    ? batchAnswer(id, error(GraphError.failedDependency()))
                    : batchResponse(id, item, token);
            statusById.put(id, (Integer) response.get("status"));
            responses.add(response);
        }
        return GraphAnswers.json(200, Map.of("responses", responses));
    }

    /** What is wrong with the batch's requests, if anything. */
    private static Optional<String> invalidBatch(JsonNode requests) {
        if (!requests.isArray() || requests.isEmpty() || requests.size() > MAX_BATCH) {
            return Optional.of("A batch holds 1 to " + MAX_BATCH + " requests.");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode item : requests) {
            String id = item.path("id").asText("");
            if (id.isEmpty() || item.path("method").asText("").isEmpty() || item.path("url").asText("").isEmpty()) {
                return Optional.of("Each request in a batch needs an id, a method and a url.");
            }
            JsonNode dependsOn = item.path("dependsOn");
            if (!dependsOn.isMissingNode() && !dependsOn.isArray()) {
                return Optional.of("dependsOn of request " + id + " is not an array of request ids.");
            }
            for (JsonNode dependency : dependsOn) {
                if (!ids.contains(dependency.asText())) {
                    return Optional.of("Request " + id + " depends on " + dependency.asText()
                            + ", which is not a request before it in this batch.");
                }
            }
            if (!ids.add(id)) {
                return Optional.of("Request id " + id + " is used twice in the batch.");
            }
        }
        return Optional.empty();
    }

    private Map<String, Object> batchResponse(String id, JsonNode item, AccessToken token) {
        String method = item.path("method").asText("GET").toUpperCase(Locale.ROOT);
        String url = item.path("url").asText("");
        int question = url.indexOf('?');
        String path = (url.startsWith("/") ? "" : "/") + (question < 0 ? url : url.substring(0, question));
        JsonNode body = item.get("body");
        GraphRequest request = new GraphRequest(method, path,
                GraphRequest.parseQuery(question < 0 ? null : url.substring(question + 1)),
                body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8),
                GraphRequest.prefersImmutableIds(header(item.path("headers"), "Prefer")));
        Optional<GraphRoute> route = GraphRoute.parse(method, path);
        EwsAnswer answer;
        if (route.isEmpty()) {
            answer = error(GraphError.badRequest("The simulator does not serve " + method + " " + path + "."));
        } else {
            log.graphRequest(new GraphRequestRecord(route.get().operation(), token.principal(),
                    mailboxOf(route.get(), token), request.immutableIds()));
            answer = answer(route.get(), request, token);
        }
        return batchAnswer(id, answer);
    }

    private static Map<String, Object> batchAnswer(String id, EwsAnswer answer) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("status", answer.status());
        response.put("headers", answer.headers());
        if (answer.body().length > 0) {
            try {
                response.put("body", GraphAnswers.MAPPER.readTree(answer.body()));
            } catch (IOException notJson) {
                throw new IllegalStateException("a batched answer that is not JSON", notJson);
            }
        }
        return response;
    }

    private static String header(JsonNode headers, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = headers.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().asText();
            }
        }
        return null;
    }

    /** The mailbox the route names: the address after {@code /users/}, else the token's own user. */
    private static String mailboxOf(GraphRoute route, AccessToken token) {
        return route.user() != null ? route.user() : token.principal();
    }

    /** The request's token if it is a valid Graph token; otherwise the request has been answered with 401. */
    private Optional<AccessToken> authorize(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        GraphError refusal;
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            refusal = GraphError.tokenEmpty();
        } else {
            Optional<AccessToken> token = tokens.validAccessToken(authorization.substring(7).strip());
            if (token.isPresent() && token.get().audience() == AccessToken.Audience.GRAPH) {
                return token;
            }
            refusal = token.isPresent() ? GraphError.invalidAudience() : GraphError.tokenInvalid();
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        error(refusal).send(exchange);
        return Optional.empty();
    }

    private EwsAnswer error(GraphError error) {
        return GraphAnswers.error(error, clock);
    }
}
