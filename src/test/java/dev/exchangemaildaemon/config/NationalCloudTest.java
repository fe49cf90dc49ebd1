package dev.exchangemaildaemon.config;

import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_ID;
import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A national-cloud tenant needs one key: mail.entra.cloud sets the hosts and the token resources. */
class NationalCloudTest {

    @TempDir
    static Path dir;
    private static ExchangeSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0);
        simulator.registerApp(CLIENT_ID, CLIENT_SECRET);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    /** The simulator's working configuration without the host keys, so that only the cloud speaks. */
    private static MailConfig cloud(String cloud, Map<String, String> more) {
        Map<String, String> keys = new HashMap<>(more);
        keys.put("mail.entra.cloud", cloud);
        keys.putIfAbsent("mail.entra.authority-host", "");
        keys.putIfAbsent("mail.exchange.ews-url", "");
        keys.putIfAbsent("mail.exchange.graph-url", "");
        return SimulatorConfig.of(simulator, dir, keys);
    }

    @Test
    void oneKeySetsEntraExchangeAndGraphOfTheCloud() {
        Endpoints gccHigh = cloud("usgov", Map.of()).endpoints();
        assertEquals(URI.create("https://login.microsoftonline.us"), gccHigh.authorityHost());
        assertEquals(URI.create("https://outlook.office365.us:443/EWS/Exchange.asmx"), gccHigh.ews());
        assertEquals("https://outlook.office365.us", gccHigh.ewsResource());
        assertEquals(URI.create("https://graph.microsoft.us/v1.0"), gccHigh.graphUrl());
        assertEquals(URI.create("https://graph.microsoft.us"), gccHigh.graphResource());

        Endpoints dod = cloud("usgov-dod", Map.of()).endpoints();
        assertEquals("https://webmail.apps.mil", dod.ewsResource());
        assertEquals(URI.create("https://dod-graph.microsoft.us"), dod.graphResource());

        Endpoints china = cloud("china", Map.of()).endpoints();
        assertEquals(URI.create("https://login.chinacloudapi.cn"), china.authorityHost());
        assertEquals(URI.create("https://partner.outlook.cn:443/EWS/Exchange.asmx"), china.ews());
        assertEquals(URI.create("https://microsoftgraph.chinacloudapi.cn/v1.0"), china.graphUrl());

        Endpoints global = SimulatorConfig.of(simulator, dir, Map.of("mail.entra.authority-host", "",
                "mail.exchange.ews-url", "", "mail.exchange.graph-url", "")).endpoints();
        assertEquals(URI.create("https://login.microsoftonline.com"), global.authorityHost());
        assertEquals("https://outlook.office365.com", global.ewsResource());
        assertEquals(URI.create("https://graph.microsoft.com/v1.0"), global.graphUrl());
    }

    @Test
    void eachHostKeyStillOverridesItsOwnHostOnly() {
        Endpoints endpoints = cloud("usgov", Map.of("mail.exchange.graph-url", "https://graph-proxy.corp.example/v1.0",
                "mail.exchange.server", "mail.corp.example")).endpoints();
        assertEquals(URI.create("https://graph-proxy.corp.example/v1.0"), endpoints.graphUrl());
        assertEquals(URI.create("https://graph.microsoft.us"), endpoints.graphResource(), "the audience stays");
        assertEquals("https://mail.corp.example", endpoints.ewsResource());
        assertEquals(URI.create("https://login.microsoftonline.us"), endpoints.authorityHost());
    }

    /**
     * Against the simulator (the global cloud's Entra ID, whose tenant has only the global resources), a GCC High
     * configuration asks for the GCC High resources: Entra ID refuses them by name.
     */
    @Test
    void tokensAreAskedForTheCloudsResources() {
        for (String api : new String[] {"ews", "graph"}) {
            MailConfig config = cloud("usgov", Map.of("mail.entra.authority-host", simulator.baseUri().toString(),
                    "mail.exchange.api", api));
            EntraTokens tokens = new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()),
                    Clock.systemUTC(), new SimpleMeterRegistry());
            TokenException refused = assertThrows(TokenException.class, () -> tokens.forUser("", "").get());
            assertEquals("AADSTS500011", refused.errorCode().orElseThrow());
            String resource = api.equals("ews") ? "https://outlook.office365.us" : "https://graph.microsoft.us";
            assertTrue(refused.getMessage().contains("named " + resource + " "), refused::getMessage);
        }
    }
}
