package dev.exchangemaildaemon.net;

import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_ID;
import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_SECRET;
import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.check.CheckOutcome;
import dev.exchangemaildaemon.check.CheckReport;
import dev.exchangemaildaemon.check.CheckRig;
import dev.exchangemaildaemon.check.Diagnoses;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.FreePorts;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.Tinyproxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Token, EWS and Graph requests through a real proxy (tinyproxy with Basic authentication, so the CONNECT tunnel
 * must carry the proxy credentials): each call opens a tunnel the proxy logs, hosts on the no-proxy list go direct,
 * the check tells a proxy that refuses from one that cannot be reached, and so do EWS and Graph requests when the
 * proxy goes away after the token was fetched.
 */
class ProxyTest {

    private static final String PROXY_USER = "mailproxy";
    private static final String PROXY_PASSWORD = "proxy-pass-Tt4";

    @TempDir
    static Path dir;
    private static ExchangeSimulator simulator;
    private static Tinyproxy proxy;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0);
        simulator.registerApp(CLIENT_ID, CLIENT_SECRET);
        simulator.addMailbox(INVOICES).addMailbox(SENDER);
        proxy = Tinyproxy.start(dir, PROXY_USER, PROXY_PASSWORD);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        proxy.close();
        simulator.stop();
    }

    private static MailConfig config(Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.proxy.url", proxy.url());
        keys.put("mail.proxy.user", PROXY_USER);
        keys.put("mail.proxy.password", PROXY_PASSWORD);
        keys.putAll(overrides);
        return SimulatorConfig.of(simulator, dir, keys);
    }

    @Test
    void theTokenEwsAndGraphRequestsEachGoThroughTheProxy() throws Exception {
        String simulatorHost = "localhost:" + simulator.baseUri().getPort();
        SSLContext tls = TrustedTls.create(Optional.of(simulator.caCertificatePem()));
        int before = proxy.tunnels().size();

        MailConfig ews = config(Map.of());
        AccessTokens tokens = new EntraTokens(ews, tls, Clock.systemUTC(), new SimpleMeterRegistry()).forUser("", "");
        tokens.get();
        assertEquals(List.of(simulatorHost), proxy.tunnels().subList(before, proxy.tunnels().size()), "token");

        new EwsConnector(ews, tls).connect(INVOICES, tokens).checkFolder("inbox");
        assertEquals(before + 2, proxy.tunnels().size(), "EWS: " + proxy.tunnels());

        MailConfig graph = config(Map.of("mail.exchange.api", "graph"));
        AccessTokens graphTokens = new EntraTokens(graph, tls, Clock.systemUTC(), new SimpleMeterRegistry())
                .forUser("", "");
        graphTokens.get();
        assertEquals(before + 3, proxy.tunnels().size(), "Graph token: " + proxy.tunnels());
        try (GraphConnector connector = new GraphConnector(graph, tls, new SimpleMeterRegistry())) {
            connector.connect(INVOICES, graphTokens).checkFolder("inbox");
        }
        assertEquals(before + 4, proxy.tunnels().size(), "Graph: " + proxy.tunnels());
        assertTrue(proxy.tunnels().stream().allMatch(simulatorHost::equals), proxy.tunnels()::toString);
    }

    @Test
    void hostsOnTheNoProxyListGoDirect() throws Exception {
        MailConfig config = config(Map.of("mail.proxy.no-proxy", ".example.org,localhost"));
        SSLContext tls = TrustedTls.create(Optional.of(simulator.caCertificatePem()));
        int before = proxy.tunnels().size();
        AccessTokens tokens = new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry())
                .forUser("", "");
        new EwsConnector(config, tls).connect(INVOICES, tokens).checkFolder("inbox");
        assertEquals(before, proxy.tunnels().size(), proxy.tunnels()::toString);
    }

    @Test
    void theCheckTellsAProxyThatRefusesFromOneThatCannotBeReached() {
        CheckReport refused = new CheckRig(config(Map.of("mail.proxy.password", "wrong-proxy-pass-Rr5"))).check.run(Optional.empty());
        CheckOutcome refusal = firstFailure(refused);
        assertEquals(OutboundProxy.REFUSED, refusal.code(), refusal::toString);
        assertEquals(Diagnoses.STEP_PROXY, refusal.step());
        assertFalse(refused.toString().contains("wrong-proxy-pass-Rr5"), "no proxy password in the report");

        CheckOutcome unreachable = firstFailure(new CheckRig(config(Map.of("mail.proxy.url",
                "http://127.0.0.1:" + FreePorts.next()))).check.run(Optional.empty()));
        assertEquals(OutboundProxy.UNREACHABLE, unreachable.code(), unreachable::toString);
        assertEquals(Diagnoses.STEP_PROXY, unreachable.step());
    }

    @Test
    void aProxyGoneAfterTheTokenIsNamedByEwsAndGraphNotTheMailServer() throws Exception {
        SSLContext tls = TrustedTls.create(Optional.of(simulator.caCertificatePem()));
        AccessTokens ewsTokens = new EntraTokens(config(Map.of()), tls, Clock.systemUTC(), new SimpleMeterRegistry())
                .forUser("", "");
        ewsTokens.get();
        AccessTokens graphTokens = new EntraTokens(config(Map.of("mail.exchange.api", "graph")), tls,
                Clock.systemUTC(), new SimpleMeterRegistry()).forUser("", "");
        graphTokens.get();
        String gone = "127.0.0.1:" + FreePorts.next();

        // without proxy credentials the HTTP client meets the closed port itself; with them, the relay in front of
        // the proxy does and answers the tunnel request with 502, which alone would read as a refusal
        for (String user : List.of("", PROXY_USER)) {
            Map<String, String> keys = Map.of("mail.proxy.url", "http://" + gone, "mail.proxy.user", user);
            MailboxException ews = assertThrows(MailboxException.class, () -> new EwsConnector(config(keys), tls,
                    new SimpleMeterRegistry(), wait -> { }).connect(INVOICES, ewsTokens).checkFolder("inbox"));
            assertProxyNamed(ews, gone, "EWS, user '" + user + "'");

            Map<String, String> graphKeys = new HashMap<>(keys);
            graphKeys.put("mail.exchange.api", "graph");
            try (GraphConnector connector = new GraphConnector(config(graphKeys), tls, new SimpleMeterRegistry())) {
                MailboxException graph = assertThrows(MailboxException.class,
                        () -> connector.connect(INVOICES, graphTokens).checkFolder("inbox"));
                assertProxyNamed(graph, gone, "Graph, user '" + user + "'");
            }
        }
    }

    private static void assertProxyNamed(MailboxException failure, String proxyAddress, String what) {
        assertEquals(OutboundProxy.UNREACHABLE, failure.code(), what + ": " + failure);
        assertTrue(failure.getMessage().contains(proxyAddress), what + ": " + failure.getMessage());
        assertFalse(String.valueOf(failure).contains(PROXY_PASSWORD), what + ": no proxy password");
    }

    private static CheckOutcome firstFailure(CheckReport report) {
        assertEquals("ERROR", report.result(), report::toString);
        return report.checks().stream().filter(outcome -> !outcome.ok()).findFirst().orElseThrow();
    }
}
