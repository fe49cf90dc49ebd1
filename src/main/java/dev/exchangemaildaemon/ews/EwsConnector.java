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
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;

/** Opens mailboxes over Exchange Web Services, all sharing one HTTP client and its connections. */
@ApplicationScoped
public class EwsConnector implements MailboxConnector {

    private final URI endpoint;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor deadlines;

    @Inject
    public EwsConnector(MailConfig config, SSLContext tls) {
        this(config.exchange().endpoint(), config.exchange().requestTimeout(), tls);
    }

    EwsConnector(URI endpoint, Duration requestTimeout, SSLContext tls) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
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
    }

    @Override
    public Mailbox connect(String address, AccessTokens tokens) {
        return new EwsMailbox(address, new EwsClient(http, deadlines, endpoint, requestTimeout, address, tokens));
    }

    @PreDestroy
    void stop() {
        deadlines.shutdownNow();
    }
}
