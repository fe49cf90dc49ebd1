package dev.exchangemaildaemon.check;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.outgoing.Senders;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * The real check and test-send, wired by hand from a configuration that starts from a working setup against
 * the simulator and changes what a test says: one setup mistake per row, without restarting Quarkus.
 */
public final class CheckRig {

    final MailConfig config;
    public final SetupCheck check;
    final TestSend testSend;

    CheckRig(ExchangeSimulator simulator, Path dir, Map<String, String> overrides) {
        this(SimulatorConfig.of(simulator, dir, overrides));
    }

    /** From a whole configuration, such as an example file pointed at the simulator. */
    public CheckRig(MailConfig config) {
        this.config = config;
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        EntraTokens tokens = new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry());
        MailboxConnector connector = config.exchange().api() == MailConfig.MailboxApi.GRAPH
                ? new GraphConnector(config, tls, new SimpleMeterRegistry())
                : new EwsConnector(config, tls, new SimpleMeterRegistry(), wait -> { }); // back-offs not waited out
        check = new SetupCheck(config, tokens, connector,
                new GraphProbe(config, tokens, tls, new SimpleMeterRegistry()), Clock.systemUTC(),
                new Senders(config, tokens, connector));
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
