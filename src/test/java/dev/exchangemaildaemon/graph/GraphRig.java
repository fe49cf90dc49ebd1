package dev.exchangemaildaemon.graph;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The real token client and Graph connector wired by hand against the simulator, in one of the two flows; the
 * same mailboxes can be opened over EWS for comparison. Retries wait at most two seconds, to keep tests short.
 */
final class GraphRig {

    static final RetryPolicy TEST_RETRIES = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    enum Flow {
        APP_ONLY, DELEGATED
    }

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final ExchangeSimulator simulator;
    private final Path dir;
    private final Flow flow;

    GraphRig(ExchangeSimulator simulator, Path dir, Flow flow) {
        this.simulator = simulator;
        this.dir = dir;
        this.flow = flow;
    }

    Mailbox graph(String address) {
        return graph(address, Map.of(), http -> http);
    }

    /**
     * With more configuration keys, such as a request timeout or another graph-url, and the HTTP client seen through
     * {@code wrap}.
     */
    Mailbox graph(String address, Map<String, String> keys, UnaryOperator<HttpClient> wrap) {
        Map<String, String> graph = new HashMap<>(keys);
        graph.put("mail.exchange.api", "graph");
        graph.putIfAbsent("mail.exchange.graph-url", simulator.graphUri().toString());
        MailConfig config = config(graph);
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        Duration timeout = config.exchange().requestTimeout();
        GraphConnector connector = new GraphConnector(config.endpoints().graphUrl(), timeout,
                wrap.apply(GraphConnector.httpClient(tls, timeout)), metrics, TEST_RETRIES);
        return connector.connect(address, tokens(config, tls).forUser(address, SimulatorResource.passwordOf(address)));
    }

    Mailbox ews(String address) {
        MailConfig config = config(Map.of());
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        return new EwsConnector(config, tls).connect(address,
                tokens(config, tls).forUser(address, SimulatorResource.passwordOf(address)));
    }

    private EntraTokens tokens(MailConfig config, SSLContext tls) {
        return new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private MailConfig config(Map<String, String> api) {
        Map<String, String> keys = new HashMap<>(api);
        if (flow == Flow.DELEGATED) {
            keys.put("mail.entra.auth-flow", "username-password");
            keys.put("mail.entra.client-secret", "");
            keys.put("mail.incoming.mailboxes[0].password", "unused");
        }
        return SimulatorConfig.of(simulator, dir, keys);
    }
}
