package dev.exchangemaildaemon.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A working configuration against the simulator (client secret, invoices polled, erp@ as sender), changed by
 * the overrides; an empty override value removes the key. For tests that wire components by hand.
 */
public final class SimulatorConfig {

    private SimulatorConfig() {
    }

    public static MailConfig of(ExchangeSimulator simulator, Path dir, Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.tenant-id", simulator.tenantId());
        keys.put("mail.entra.client-id", SimulatorResource.CLIENT_ID);
        keys.put("mail.entra.client-secret", SimulatorResource.CLIENT_SECRET);
        keys.put("mail.entra.authority-host", simulator.baseUri().toString());
        keys.put("mail.exchange.ews-url", simulator.baseUri().resolve("/EWS/Exchange.asmx").toString());
        keys.put("mail.exchange.graph-url", simulator.graphUri().toString());
        keys.put("mail.exchange.trust-store", simulator.caCertificatePem().toString());
        keys.put("mail.send.sender", SimulatorResource.SENDER);
        keys.put("mail.incoming.maildir", dir.resolve("maildir").toString());
        keys.put("mail.incoming.state-dir", dir.resolve("state").toString());
        keys.put("mail.incoming.mailboxes[0].address", SimulatorResource.INVOICES);
        keys.put("mail.check.retry-for", "PT10S");
        keys.putAll(overrides);
        keys.values().removeIf(value -> value == null || value.isEmpty());
        return new SmallRyeConfigBuilder().withMapping(MailConfig.class)
                .withSources(new PropertiesConfigSource(keys, "test", 100)).build().getConfigMapping(MailConfig.class);
    }
}
