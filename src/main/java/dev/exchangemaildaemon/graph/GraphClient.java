package dev.exchangemaildaemon.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.Base64Stream;
import dev.exchangemaildaemon.net.FailedAttempt;
import dev.exchangemaildaemon.net.PendingResponse;
import dev.exchangemaildaemon.net.RequestAttempts;
import dev.exchangemaildaemon.net.OutboundProxy;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.net.ResponseBody;
import dev.exchangemaildaemon.net.ResponseDeadline;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Sends Graph requests for one mailbox: authenticates (a refused token is renewed once), retries transient faults
 * a few times, reads JSON answers, and turns every kind of failure into a {@link MailboxException}. Each request
 * is counted and timed as {@link RequestMetrics} says, with {@code api="graph"}.
 */
final class GraphClient {

    /** More than any Graph error body holds; the rest of a longer one is not read. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    /**
     * How often one request is tried when Graph answers with a transient fault, and how long the client waits in
     * between: Retry-After when Graph says, else half a second doubling. A wait over 10 s is not waited out here: the
     * failure goes to the caller with its back-off, and the poller waits.
     */
    static final RetryPolicy RETRIES = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    /** Asks Graph for ids that stay the same when a message moves between folders. */
    static final String PREFER_IMMUTABLE_IDS = "IdType=\"ImmutableId\"";

    /** Reads a successful answer's body. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException, MailboxException;
    }

    private final HttpClient http;
    private final OutboundProxy proxy;
    private final ScheduledExecutorService deadlines;
    private final URI base;
    private final Duration timeout;
    private final AccessTokens tokens;
    private final RequestMetrics metrics;
    private final RequestAttempts attempts;

    GraphClient(HttpClient http, OutboundProxy proxy, ScheduledExecutorService deadlines, URI base, Duration timeout,
                AccessTokens tokens, RequestMetrics metrics, RequestAttempts attempts) {
        this.http = http;
        this.proxy = proxy;
        this.deadlines = deadlines;
        this.base = base;
        this.timeout = timeout;
        this.tokens = tokens;
        this.metrics = metrics;
        this.attempts = attempts;
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
        return exchange(operation, method, uri(path), json == null ? null
                        : new Body(() -> HttpRequest.BodyPublishers.ofByteArray(json), "application/json"),
                type == Void.class ? in -> null : json(type), null, false);
    }

    /**
     * A POST of a file's bytes base64-encoded as plain text (sendMail's MIME), answered with nothing Graph documents a
     * use for. The file is encoded as it is sent, a chunk at a time, so that sends at once hold no message in memory.
     */
    void postBase64(String operation, String path, Path file, long size) throws MailboxException {
        Body body = new Body(() -> HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                () -> {
                    try {
                        return new Base64Stream(Files.newInputStream(file));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), Base64Stream.encodedLength(size)), "text/plain");
        exchange(operation, "POST", uri(path), body, in -> null, null, false);
    }

    /** A request body, made anew for each attempt, and its media type. */
    private record Body(Supplier<HttpRequest.BodyPublisher> publisher, String contentType) {
    }

    /**
     * Sends a GET of a path without waiting for the answer, which {@link #stream(String, SentGet, BodyReader)}
     * reads later. Until then the answer waits unread, holding a connection (or an HTTP/2 stream).
     */
    SentGet sendGet(String path) throws MailboxException {
        URI uri = uri(path);
        String token = RequestAttempts.token(tokens);
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
        AtomicReference<SentGet> unread = new AtomicReference<>(sent);
        // the request may have been carried out when its answer got lost: only a read is safe to repeat
        return attempts.run(operation, method.equals("GET"), tokens,
                number -> attempt(operation, method, uri, body, reader, unread.getAndSet(null), messageBodies));
    }

    /**
     * One attempt, judged: Graph refused 429 and 503 unrun; a 504, a lost answer, or any other 5xx to a request that
     * changes something may have run (a 500 can come after a send went out: it is looked up before it is sent
     * again); a read answered 500 is given up, as is any 4xx.
     */
    private <T> T attempt(String operation, String method, URI uri, Body body, BodyReader<T> reader,
            SentGet alreadySent, boolean messageBodies) throws FailedAttempt {
        try {
            String token = alreadySent != null ? alreadySent.token : RequestAttempts.token(tokens);
            long started = System.nanoTime();
            HttpResponse<InputStream> response = answer(operation, method, uri, body, token, alreadySent, started);
            int status = response.statusCode();
            if (status / 100 == 2) {
                T result = read(response, reader, started, messageBodies);
                count(operation, RequestMetrics.SUCCESS, started);
                return result;
            }
            MailboxException failure = error(response, started);
            if (status == 401) {
                count(operation, "HTTP 401", started);
                throw FailedAttempt.tokenRefused(failure.in(operation), token);
            }
            count(operation, failure.code(), started);
            if (status == 429 || status == 503) {
                throw FailedAttempt.notRun(failure.in(operation));
            }
            boolean changes = !method.equals("GET");
            throw status == 504 || status >= 500 && changes ? FailedAttempt.mayHaveRun(failure.in(operation))
                    : FailedAttempt.giveUp(failure.in(operation));
        } catch (MailboxException e) {
            throw FailedAttempt.giveUp(e);
        }
    }

    /** The answer's status and headers; a failure to get them is counted and judged. */
    private HttpResponse<InputStream> answer(String operation, String method, URI uri, Body body, String token,
            SentGet alreadySent, long started) throws MailboxException, FailedAttempt {
        try {
            return alreadySent != null ? alreadySent.answer.await()
                    : http.send(request(method, uri, body, token), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            MailboxException failure = e instanceof HttpTimeoutException ? TransportFailures.timeout(timeout)
                    : TransportFailures.connection("Microsoft Graph", e, proxy, uri);
            count(operation, failure.code(), started);
            throw failure.kind() == MailboxException.Kind.TRANSIENT ? FailedAttempt.mayHaveRun(failure.in(operation))
                    : FailedAttempt.giveUp(failure.in(operation));
        } catch (InterruptedException e) {
            throw TransportFailures.interrupted(e);
        }
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
                .method(method, body.publisher().get()).build();
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


    private void count(String operation, String outcome, long started) {
        metrics.requested(operation, outcome, System.nanoTime() - started);
    }
}
