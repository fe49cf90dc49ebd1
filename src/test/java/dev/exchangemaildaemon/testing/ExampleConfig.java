package dev.exchangemaildaemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

/**
 * A configuration file from {@code deploy/} as a newcomer copies it, pointed at the simulator: only the hosts
 * (Entra ID, EWS, Graph), the simulator's CA and the directories are replaced, and the client secret comes as its
 * environment variable would. Tenant, client id, API and mailboxes stay as the file has them, so the simulator
 * must know them.
 */
public final class ExampleConfig {

    private ExampleConfig() {
    }

    public static MailConfig load(Path file, ExchangeSimulator simulator, Path dir, String clientSecret) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> simulated = Map.of(
                "mail.entra.authority-host", simulator.baseUri().toString(),
                "mail.exchange.ews-url", simulator.baseUri().resolve("/EWS/Exchange.asmx").toString(),
                "mail.exchange.graph-url", simulator.graphUri().toString(),
                "mail.exchange.trust-store", simulator.caCertificatePem().toString(),
                "mail.incoming.maildir", dir.resolve("maildir").toString(),
                "mail.incoming.state-dir", dir.resolve("state").toString(),
                "MAIL_CLIENT_SECRET", clientSecret);
        // the default interceptors expand ${MAIL_CLIENT_SECRET} as the daemon does
        return new SmallRyeConfigBuilder().withMapping(MailConfig.class).addDefaultInterceptors()
                .withSources(new YamlConfigSource(file.toString(), yaml, 100),
                        new PropertiesConfigSource(simulated, "simulator", 200))
                .build().getConfigMapping(MailConfig.class);
    }
}
