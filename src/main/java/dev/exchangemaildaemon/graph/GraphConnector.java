package dev.exchangemaildaemon.graph;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.net.ssl.SSLContext;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.MailboxApi;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.Transport;
import dev.exchangemaildaemon.net.RequestAttempts;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.Sleeper;
import dev.exchangemaildaemon.net.OutboundProxy;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Opens mailboxes over Microsoft Graph, all sharing one HTTP client and its connections. App-only tokens reach a
 * mailbox as {@code /users/{address}}, a user's token reaches its own as {@code /me}.
 */
@ApplicationScoped
@Transport(MailboxApi.GRAPH)
public class GraphConnector implements MailboxConnector, AutoCloseable {

    private final URI base;
    private final Duration requestTimeout;
    private final MeterRegistry metrics;
    private final RequestAttempts attempts;
    private final RequestMetrics requests;
    private final HttpClient http;
    private final OutboundProxy proxy;
    private final ScheduledThreadPoolExecutor deadlines;

    @Inject
    public GraphConnector(MailConfig config, SSLContext tls, MeterRegistry metrics) {
        this(config.endpoints().graphUrl(), config.exchange().requestTimeout(), tls, OutboundProxy.of(config),
                metrics);
    }

    private GraphConnector(URI base, Duration requestTimeout, SSLContext tls, OutboundProxy proxy,
            MeterRegistry metrics) {
        this(base, requestTimeout, httpClient(tls, requestTimeout, proxy, base), proxy, metrics, GraphClient.RETRIES);
    }

    /** Straight to Graph, with no proxy (tests). */
    GraphConnector(URI base, Duration requestTimeout, HttpClient http, MeterRegistry metrics, RetryPolicy retries) {
        this(base, requestTimeout, http, OutboundProxy.NONE, metrics, retries);
    }

    private GraphConnector(URI base, Duration requestTimeout, HttpClient http, OutboundProxy proxy,
            MeterRegistry metrics, RetryPolicy retries) {
        this.base = base;
        this.proxy = proxy;
        this.requestTimeout = requestTimeout;
        this.metrics = metrics;
        this.requests = new RequestMetrics(metrics, "graph");
        this.attempts = new RequestAttempts(retries, Sleeper.THREAD, Clock.systemUTC(),
                (operation, failure, wait) -> requests.retrying(operation, failure.code(), wait));
        this.http = http;
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "graph-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /** Straight to Graph, with no proxy (tests). */
    static HttpClient httpClient(SSLContext tls, Duration connectTimeout) {
        return httpClient(tls, connectTimeout, OutboundProxy.NONE, URI.create("https://graph.microsoft.com"));
    }

    /**
     * Through the proxy, unless {@code base}'s host goes direct. Not pinned to an HTTP version: Graph speaks HTTP/2.
     * {@link MimeFetches} bounds what its answers sent ahead may hold unread.
     */
    static HttpClient httpClient(SSLContext tls, Duration connectTimeout, OutboundProxy proxy, URI base) {
        return proxy.configure(HttpClient.newBuilder(), base)
                .sslContext(tls)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public Mailbox connect(String address, AccessTokens tokens) {
        GraphClient client = new GraphClient(http, proxy, deadlines, base, requestTimeout, tokens, requests, attempts);
        return new GraphMailbox(address, client, new MailboxPaths(address, tokens.appOnly()));
    }

    /** Stops the thread that ends overdue responses. */
    @Override
    @PreDestroy
    public void close() {
        deadlines.shutdownNow();
    }
}
