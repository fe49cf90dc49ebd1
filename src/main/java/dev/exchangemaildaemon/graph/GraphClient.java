package dev.exchangemaildaemon.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.PendingResponse;
import dev.exchangemaildaemon.net.ResponseBody;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.net.ResponseDeadline;
import dev.exchangemaildaemon.net.TransportFailures;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends Graph requests for one mailbox: authenticates (a refused token is renewed once), retries transient faults
 * a few times, reads JSON answers, and turns every kind of failure into a {@link MailboxException}. Each request
 * is counted and timed as {@link RequestMetrics} says, with {@code api="graph"}.
 */
final class GraphClient {

    /** More than any Graph error body holds; the rest of a longer one is not read. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    /** Asks Graph for ids that stay the same when a message moves between folders. */
    static final String PREFER_IMMUTABLE_IDS = "IdType=\"ImmutableId\"";

    /** Reads a successful answer's body. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException, MailboxException;
    }

    private final HttpClient http;
    private final ScheduledExecutorService deadlines;
    private final URI base;
    private final Duration timeout;
    private final AccessTokens tokens;
    private final RequestMetrics metrics;
    private final Retries retries;

    GraphClient(HttpClient http, ScheduledExecutorService deadlines, URI base, Duration timeout, AccessTokens tokens,
                MeterRegistry metrics, Retries retries) {
        this.http = http;
        this.deadlines = deadlines;
        this.base = base;
        this.timeout = timeout;
        this.tokens = tokens;
        this.metrics = new RequestMetrics(metrics, "graph");
        this.retries = retries;
    }

    /** GET of a path under the base URL, or of a next link Graph gave, answered with JSON. */
    <T> T get(String operation, String pathOrLink, Class<T> type) throws MailboxException {
        return exchange(operation, "GET", uri(pathOrLink), null, json(type), null, false);
    }

    /** A request with a JSON body (or none), answered with JSON of that type, or nothing for {@code Void}. */
    <T> T send(String operation, String method, String path, Object body, Class<T> type) throws MailboxException {
        byte[] json;
        try {
            json = body == null ? null : GraphJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + ": " + e, e);
        }
        return exchange(operation, method, uri(path), json == null ? null : new Body(json, "application/json"),
                type == Void.class ? in -> null : json(type), null, false);
    }

    /** A POST of plain text (sendMail's base64 MIME), answered with nothing Graph documents a use for. */
    void postText(String operation, String path, byte[] text) throws MailboxException {
        exchange(operation, "POST", uri(path), new Body(text, "text/plain"), in -> null, null, false);
    }

    /** A request body and its media type. */
    private record Body(byte[] bytes, String contentType) {
    }

    /**
     * Sends a GET of a path without waiting for the answer, which {@link #stream(String, SentGet, BodyReader)}
     * reads later. Until then the answer waits unread, holding a connection (or an HTTP/2 stream).
     */
    SentGet sendGet(String path) throws MailboxException {
        URI uri = uri(path);
        String token = token();
        return new SentGet(uri, token, new PendingResponse(http, request("GET", uri, null, token)));
    }

    /**
     * The answer to a GET {@link #sendGet sent} earlier, whose body the reader takes as it streams in; a fault is
     * retried like any other GET's. The time until the answer's headers counts from this call, not from the
     * sending; the body (a message) may take as long as it keeps arriving, and fails when no byte comes for the
     * request timeout. An IOException of the reader's own (not one reading the response) fails with
     * {@link MailboxException#LOCAL_DELIVERY}.
     */
    <T> T stream(String operation, SentGet sent, BodyReader<T> reader) throws MailboxException {
        return exchange(operation, "GET", sent.uri, null, reader, sent, true);
    }

    /** A GET sent and not yet read: its answer is read once with {@link #stream}, or given up with cancel(). */
    static final class SentGet {

        private final URI uri;
        private final String token;
        private final PendingResponse answer;

        private SentGet(URI uri, String token, PendingResponse answer) {
            this.uri = uri;
            this.token = token;
            this.answer = answer;
        }

        /** Gives the request up: aborts it if still unanswered, else closes the answer unread. */
        void cancel() {
            answer.abandon();
        }
    }

    /**
     * Sends the request, or takes the answer to {@code sent} (if not null) as the first attempt's; retries. A body
     * of {@code messageBodies} is bounded by progress, any other by the request timeout.
     */
    private <T> T exchange(String operation, String method, URI uri, Body body, BodyReader<T> reader,
                           SentGet sent, boolean messageBodies) throws MailboxException {
        boolean tokenRenewed = false;
        SentGet unread = sent;
        for (int attempt = 1;; attempt++) {
            SentGet alreadySent = unread;
            unread = null;
            String token = alreadySent != null ? alreadySent.token : token();
            long started = System.nanoTime();
            HttpResponse<InputStream> response;
            try {
                response = alreadySent != null ? alreadySent.answer.await()
                        : http.send(request(method, uri, body, token), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                MailboxException failure = e instanceof HttpTimeoutException ? TransportFailures.timeout(timeout)
                        : TransportFailures.connection("Microsoft Graph", e);
                count(operation, failure.code(), started);
                // the request may have been carried out: only a read is safe to repeat
                if (method.equals("GET") && failure.kind() == MailboxException.Kind.TRANSIENT
                        && waitedBeforeRetry(operation, attempt, failure)) {
                    continue;
                }
                throw failure.in(operation);
            } catch (InterruptedException e) {
                throw TransportFailures.interrupted(e);
            }
            int status = response.statusCode();
            if (status == 401 && !tokenRenewed) {
                discard(response);
                count(operation, "HTTP 401", started);
                tokens.refused(token);
                tokenRenewed = true;
                attempt--;
                continue;
            }
            if (status / 100 == 2) {
                T result = read(response, reader, started, messageBodies);
                count(operation, RequestMetrics.SUCCESS, started);
                return result;
            }
            MailboxException failure = error(response, started);
            count(operation, failure.code(), started);
            boolean refusedUnread = status == 429 || status == 503;
            if ((refusedUnread || status == 504 && method.equals("GET")) && waitedBeforeRetry(operation, attempt, failure)) {
                continue;
            }
            throw failure.in(operation);
        }
    }

    /** Waits before the next attempt if there is one and the wait is short; false if the caller should give up. */
    private boolean waitedBeforeRetry(String operation, int attempt, MailboxException failure) throws MailboxException {
        if (attempt >= retries.attempts()) {
            return false;
        }
        Duration wait = failure.backOff().orElse(retries.delay(attempt));
        if (wait.compareTo(retries.maxWait()) > 0) {
            return false;
        }
        metrics.retrying(operation, failure.code(), wait);
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            throw TransportFailures.interrupted(e);
        }
        return true;
    }

    private <T> T read(HttpResponse<InputStream> response, BodyReader<T> reader, long started,
            boolean messageBodies) throws MailboxException {
        try (InputStream body = new ResponseBody(response.body());
                ResponseDeadline deadline = messageBodies ? ResponseDeadline.idle(deadlines, body, timeout)
                        : ResponseDeadline.whole(deadlines, body, ResponseDeadline.remaining(timeout, started))) {
            try {
                return reader.read(deadline.body());
            } catch (ResponseBody.ReadException e) {
                if (deadline.expired()) {
                    throw messageBodies ? TransportFailures.stalled(timeout) : TransportFailures.timeout(timeout);
                }
                throw TransportFailures.connection("Microsoft Graph", e);
            } catch (JsonProcessingException e) {
                throw TransportFailures.badResponse("Graph answered JSON the daemon cannot read: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new MailboxException(MailboxException.LOCAL_DELIVERY, MailboxException.Kind.TRANSIENT,
                        "could not take the message: " + e.getMessage(), null, e);
            }
        } catch (IOException e) {
            throw TransportFailures.connection("Microsoft Graph", e);
        }
    }

    /**
     * The error an unsuccessful answer describes. Its body is read within the request's time and only up to
     * {@link #MAX_ERROR_BODY_BYTES}: a body that never ends (a broken proxy, a stalled server) must not hold the
     * poll, nor fill the heap.
     */
    private MailboxException error(HttpResponse<InputStream> response, long started) {
        Optional<GraphJson.ErrorDetail> detail;
        try (InputStream body = response.body();
                ResponseDeadline deadline = ResponseDeadline.whole(deadlines, body,
                        ResponseDeadline.remaining(timeout, started))) {
            byte[] json = deadline.body().readNBytes(MAX_ERROR_BODY_BYTES);
            detail = Optional.ofNullable(GraphJson.MAPPER.readValue(json, GraphJson.ErrorResponse.class))
                    .map(GraphJson.ErrorResponse::error);
        } catch (IOException notGraphJson) {
            // empty, cut off, out of time, or an HTML page from a proxy: the status is all there is
            detail = Optional.empty();
        }
        return GraphErrors.of(response.statusCode(), detail, response.headers().firstValue("Retry-After"));
    }

    private HttpRequest request(String method, URI uri, Body body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("Prefer", PREFER_IMMUTABLE_IDS);
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", body.contentType())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
    }

    /**
     * A path under the base URL, or a next link Graph gave. Graph names its own host in next links, also when
     * graph-url is a reverse proxy or private endpoint: a link under the base URL's path is followed through the
     * base URL. Any other link is refused. Either way the bearer token goes nowhere but graph-url.
     */
    private URI uri(String pathOrLink) throws MailboxException {
        String root = base.toString().replaceAll("/+$", "");
        if (pathOrLink.startsWith("/")) {
            return URI.create(root + pathOrLink);
        }
        URI link = URI.create(pathOrLink);
        if (base.getScheme().equalsIgnoreCase(link.getScheme())
                && base.getRawAuthority().equalsIgnoreCase(link.getRawAuthority())) {
            return link;
        }
        String basePath = base.getRawPath().replaceAll("/+$", "");
        if (link.getRawPath() != null && link.getRawPath().startsWith(basePath + "/")) {
            String query = link.getRawQuery() == null ? "" : "?" + link.getRawQuery();
            return URI.create(root + link.getRawPath().substring(basePath.length()) + query);
        }
        throw TransportFailures.badResponse("Graph gave a link to another server: " + link.getAuthority(), null);
    }

    private static <T> BodyReader<T> json(Class<T> type) {
        return in -> GraphJson.MAPPER.readValue(in, type);
    }

    private String token() throws MailboxException {
        try {
            return tokens.get();
        } catch (TokenException e) {
            throw TransportFailures.token(e);
        }
    }

    private void count(String operation, String outcome, long started) {
        metrics.requested(operation, outcome, System.nanoTime() - started);
    }

    private static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // nothing was wanted from it
        }
    }
}
