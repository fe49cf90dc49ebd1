package dev.exchangemaildaemon.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;

import dev.exchangemaildaemon.net.OutboundProxy;

/**
 * MSAL4J's requests to Entra ID, sent with the JDK's HTTP client as EWS and Graph requests are: the same trusted
 * CAs, the same proxy with the same authentication. MSAL4J's own client would take only a proxy address and leave
 * the proxy password to the process-wide {@link java.net.Authenticator}. Each request, from connect to the last
 * byte, is bounded by {@code mail.entra.token-timeout}.
 */
final class MsalHttp implements IHttpClient {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection", "expect",
            "upgrade");

    private final HttpClient http;
    private final Duration timeout;

    MsalHttp(SSLContext tls, Duration timeout, OutboundProxy proxy, URI authorityHost) {
        this.http = proxy.configure(HttpClient.newBuilder(), authorityHost).sslContext(tls).connectTimeout(timeout)
                .build();
        this.timeout = timeout;
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        var builder = java.net.http.HttpRequest.newBuilder(request.url().toURI()).timeout(timeout);
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> {
                if (value != null && !SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                    builder.header(name, value);
                }
            });
        }
        String body = request.body();
        builder.method(request.httpMethod().methodName,
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        java.net.http.HttpResponse<String> answer = whole(http.sendAsync(builder.build(), BodyHandlers.ofString()));
        if (answer.statusCode() == 407) {
            // without credentials the JDK hands the proxy's answer to the tunnel request over as the response
            throw new java.io.IOException(OutboundProxy.TUNNEL_FAILED + "407 (proxy authentication required)");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        answer.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers
                headers.put(name, values);
            }
        });
        HttpResponse response = new HttpResponse().statusCode(answer.statusCode()).body(answer.body());
        response.addHeaders(headers);
        return response;
    }

    /**
     * The answer with its whole body, within the timeout. The request's own timeout ends at the response headers, so
     * an answer that stops mid-body (a stalled front end or TLS-inspecting proxy) would hold the request, and every
     * caller sharing it, for good; here the request is abandoned instead and the next token request starts afresh.
     */
    private java.net.http.HttpResponse<String> whole(CompletableFuture<java.net.http.HttpResponse<String>> pending)
            throws Exception {
        try {
            return pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true); // closes the connection
            throw new HttpTimeoutException("no complete answer within mail.entra.token-timeout (" + timeout + ")");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
