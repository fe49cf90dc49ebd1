package dev.exchangemaildaemon.ews;

import java.net.URI;
import java.net.http.HttpClient;
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
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.Sleeper;
import dev.exchangemaildaemon.net.OutboundProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Opens mailboxes over Exchange Web Services, all sharing one HTTP client and its connections, one cap on
 * concurrent requests and one set of meters.
 */
@ApplicationScoped
@Transport(MailboxApi.EWS)
public class EwsConnector implements MailboxConnector {

    private final EwsTransport transport;
    private final ScheduledThreadPoolExecutor deadlines;

    @Inject
    public EwsConnector(MailConfig config, SSLContext tls, MeterRegistry registry) {
        this(config, tls, registry, Sleeper.THREAD);
    }

    /** Unmetered, for code that wires components by hand. */
    public EwsConnector(MailConfig config, SSLContext tls) {
        this(config, tls, new SimpleMeterRegistry());
    }

    /** With the waits between attempts handed to the sleeper: tests record them instead of waiting. */
    public EwsConnector(MailConfig config, SSLContext tls, MeterRegistry registry, Sleeper sleeper) {
        this(config.endpoints().ews(), config.exchange().requestTimeout(),
                config.exchange().maxConcurrentRequests(), tls, EwsRetries.standard(), sleeper, registry,
                OutboundProxy.of(config));
    }

    EwsConnector(URI endpoint, Duration requestTimeout, int maxConcurrentRequests, SSLContext tls,
            RetryPolicy retries, Sleeper sleeper, MeterRegistry registry) {
        this(endpoint, requestTimeout, maxConcurrentRequests, tls, retries, sleeper, registry, OutboundProxy.NONE);
    }

    private EwsConnector(URI endpoint, Duration requestTimeout, int maxConcurrentRequests, SSLContext tls,
            RetryPolicy retries, Sleeper sleeper, MeterRegistry registry, OutboundProxy proxy) {
        EwsXml.prepareInBackground();
        HttpClient http = proxy.configure(HttpClient.newBuilder(), endpoint)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(requestTimeout)
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "ews-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.transport = new EwsTransport(http, proxy, deadlines, endpoint, requestTimeout,
                new RequestPermits(maxConcurrentRequests), retries, sleeper, new RequestMetrics(registry, "ews"));
    }

    @Override
    public Mailbox connect(String address, AccessTokens tokens) {
        return new EwsMailbox(address, new EwsClient(transport, address, tokens));
    }

    @PreDestroy
    void stop() {
        deadlines.shutdownNow();
    }
}
