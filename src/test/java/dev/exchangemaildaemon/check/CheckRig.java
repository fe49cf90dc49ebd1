package dev.exchangemaildaemon.check;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The real check and test-send, wired by hand from a configuration that starts from a working setup against
 * the simulator and changes what a test says: one setup mistake per row, without restarting Quarkus.
 */
final class CheckRig {

    final MailConfig config;
    final SetupCheck check;
    final TestSend testSend;

    CheckRig(ExchangeSimulator simulator, Path dir, Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.tenant-id", simulator.tenantId());
        keys.put("mail.entra.client-id", SimulatorResource.CLIENT_ID);
        keys.put("mail.entra.client-secret", SimulatorResource.CLIENT_SECRET);
        keys.put("mail.entra.authority-host", simulator.baseUri().toString());
        keys.put("mail.exchange.ews-url", simulator.baseUri().resolve("/EWS/Exchange.asmx").toString());
        keys.put("mail.exchange.trust-store", simulator.caCertificatePem().toString());
        keys.put("mail.send.sender", SimulatorResource.SENDER);
        keys.put("mail.incoming.maildir", dir.resolve("maildir").toString());
        keys.put("mail.incoming.state-dir", dir.resolve("state").toString());
        keys.put("mail.incoming.mailboxes[0].address", SimulatorResource.INVOICES);
        keys.put("mail.check.retry-for", "PT10S");
        keys.putAll(overrides);
        keys.values().removeIf(value -> value == null || value.isEmpty());
        config = new SmallRyeConfigBuilder().withMapping(MailConfig.class)
                .withSources(new PropertiesConfigSource(keys, "row", 100)).build().getConfigMapping(MailConfig.class);
        EntraTokens tokens = new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()),
                Clock.systemUTC());
        EwsConnector connector = new EwsConnector(config, TrustedTls.create(config.exchange().trustStore()));
        check = new SetupCheck(config, tokens, connector, Clock.systemUTC());
        testSend = new TestSend(config, tokens, connector, Clock.systemUTC());
    }

    /** The user name/password flow for invoices and the sender, with their simulator passwords. */
    static Map<String, String> delegated() {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.auth-flow", "username-password");
        keys.put("mail.entra.client-secret", "");
        keys.put("mail.incoming.mailboxes[0].password", SimulatorResource.passwordOf(SimulatorResource.INVOICES));
        keys.put("mail.send.password", SimulatorResource.passwordOf(SimulatorResource.SENDER));
        return keys;
    }
}
