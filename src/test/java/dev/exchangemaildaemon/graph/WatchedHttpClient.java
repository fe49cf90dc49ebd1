package dev.exchangemaildaemon.graph;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP client that keeps track of what it gave out, to show that nothing is left behind: every request has
 * been answered or cancelled (the client then closes the connection itself), and every answer that reached its
 * caller has had its body closed.
 */
final class WatchedHttpClient extends HttpClient {

    private final HttpClient http;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** A request and the body of its answer, once the answer's headers have come. */
    private static final class Request {
        volatile CompletableFuture<?> answer;
        volatile Body body;
        final boolean async;

        Request(boolean async) {
            this.async = async;
        }
    }

    WatchedHttpClient(HttpClient http) {
        this.http = http;
    }

    /** Requests sent with {@code sendAsync}. */
    long sentAsync() {
        return requests.stream().filter(request -> request.async).count();
    }

    /** Requests neither answered nor cancelled. */
    long pending() {
        return requests.stream().filter(request -> !request.answer.isDone()).count();
    }

    /** Answers handed to the caller whose body was not closed. */
    long open() {
        return requests.stream()
                .filter(request -> request.answer.isDone() && !request.answer.isCompletedExceptionally())
                .filter(request -> request.body != null && !request.body.closed)
                .count();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Request watched = new Request(false);
        HttpResponse<T> response = http.send(request, watched(handler, watched));
        watched.answer = CompletableFuture.completedFuture(response);
        requests.add(watched);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        Request watched = new Request(true);
        watched.answer = http.sendAsync(request, watched(handler, watched));
        requests.add(watched);
        return cast(watched.answer);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
                                                            PushPromiseHandler<T> pushes) {
        Request watched = new Request(true);
        watched.answer = http.sendAsync(request, watched(handler, watched), pushes);
        requests.add(watched);
        return cast(watched.answer);
    }

    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<HttpResponse<T>> cast(CompletableFuture<?> answer) {
        return (CompletableFuture<HttpResponse<T>>) answer;
    }

    @SuppressWarnings("unchecked")
    private static <T> BodyHandler<T> watched(BodyHandler<T> handler, Request request) {
        return info -> BodySubscribers.mapping(handler.apply(info), body -> {
            if (body instanceof InputStream in) {
                request.body = new Body(in);
                return (T) request.body;
            }
            return body;
        });
    }

    private static final class Body extends FilterInputStream {

        volatile boolean closed;

        Body(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return http.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return http.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return http.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return http.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return http.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return http.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return http.authenticator();
    }

    @Override
    public Version version() {
        return http.version();
    }

    @Override
    public Optional<Executor> executor() {
        return http.executor();
    }
}
