package dev.exchangemaildaemon.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.config.MailConfig;

/** Which proxy counts: mail.proxy.* when set, else HTTPS_PROXY and NO_PROXY as curl reads them. */
class OutboundProxyTest {

    private static MailConfig.Proxy keys(String url, List<String> noProxy) {
        return new MailConfig.Proxy() {
            @Override
            public Optional<URI> url() {
                return Optional.ofNullable(url).map(URI::create);
            }

            @Override
            public Optional<String> user() {
                return Optional.empty();
            }

            @Override
            public Optional<String> password() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> noProxy() {
                return Optional.ofNullable(noProxy);
            }
        };
    }

    @Test
    void withoutTheKeyTheEnvironmentCounts() {
        OutboundProxy proxy = OutboundProxy.of(keys(null, null),
                Map.of("https_proxy", "proxy.corp.example:3128", "NO_PROXY", "localhost,.corp.example"));
        assertEquals(Optional.of(InetSocketAddress.createUnresolved("proxy.corp.example", 3128)), proxy.address());
        assertTrue(proxy.bypasses("localhost"));
        assertTrue(proxy.bypasses("mail.corp.example"));
        assertFalse(proxy.bypasses("login.microsoftonline.com"));
        assertFalse(proxy.bypasses("corp.example.evil.com"));
    }

    @Test
    void theKeyWinsOverTheEnvironmentWithItsOwnNoProxyList() {
        OutboundProxy proxy = OutboundProxy.of(keys("http://10.0.0.8:8080", List.of("*.internal")),
                Map.of("HTTPS_PROXY", "http://other:1", "NO_PROXY", "*"));
        assertEquals(Optional.of(InetSocketAddress.createUnresolved("10.0.0.8", 8080)), proxy.address());
        assertFalse(proxy.bypasses("graph.microsoft.com"), "the environment's NO_PROXY=* does not count");
        assertTrue(proxy.bypasses("exchange.internal"));
    }

    @Test
    void noKeyAndNoVariableMeansNoProxy() {
        OutboundProxy proxy = OutboundProxy.of(keys(null, null), Map.of());
        assertEquals(Optional.empty(), proxy.address());
        assertTrue(proxy.bypasses("outlook.office365.com"));
        assertEquals("no proxy", proxy.toString());
    }

    @Test
    void credentialsInTheVariableAreUsedAndNeverShown() {
        OutboundProxy proxy = OutboundProxy.of(keys(null, null),
                Map.of("HTTPS_PROXY", "http://svc%40corp:p%3Ass-Qq1@proxy:3128"));
        assertEquals("proxy proxy:3128 as svc@corp", proxy.toString());
        assertFalse(proxy.toString().contains("Qq1"));
    }
}
