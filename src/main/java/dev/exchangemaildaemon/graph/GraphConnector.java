package dev.exchangemaildaemon.graph;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.net.ssl.SSLContext;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.net.OutboundProxy;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Opens mailboxes over Microsoft Graph, all sharing one HTTP client and its connections. App-only tokens reach a
 * mailbox as {@code /users/{address}}, a user's token reaches its own as {@code /me}.
 */
public class GraphConnector implements MailboxConnector, AutoCloseable {

    private final URI base;
    private final Duration requestTimeout;
    private final MeterRegistry metrics;
    private final Retries retries;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor deadlines;

    public GraphConnector(MailConfig config, SSLContext tls, MeterRegistry metrics) {
        this(config.endpoints().graphUrl(), config.exchange().requestTimeout(),
                httpClient(tls, config.exchange().requestTimeout(), OutboundProxy.of(config),
                        config.endpoints().graphUrl()), metrics,
                Retries.DEFAULT);
    }

    GraphConnector(URI base, Duration requestTimeout, HttpClient http, MeterRegistry metrics, Retries retries) {
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.metrics = metrics;
        this.retries = retries;
        this.http = http;
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "graph-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Not pinned to an HTTP version: Graph speaks HTTP/2. {@link MimeFetches} bounds what its answers sent ahead
     * may hold unread.
     */
    static HttpClient httpClient(SSLContext tls, Duration connectTimeout) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(connectTimeout).build();
    }

    /** Through the proxy, unless {@code base}'s host goes direct. */
    static HttpClient httpClient(SSLContext tls, Duration connectTimeout, OutboundProxy proxy, URI base) {
        return proxy.configure(HttpClient.newBuilder(), base)
                .sslContext(tls)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public Mailbox connect(String address, AccessTokens tokens) {
        GraphClient client = new GraphClient(http, deadlines, base, requestTimeout, tokens, metrics, retries);
        return new GraphMailbox(address, client, new MailboxPaths(address, tokens.appOnly()));
    }

    /** Stops the thread that ends overdue responses. */
    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
