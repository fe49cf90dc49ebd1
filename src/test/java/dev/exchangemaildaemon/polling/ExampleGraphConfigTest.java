package dev.exchangemaildaemon.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.ConfigRules;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.ExampleConfig;
import dev.exchangemaildaemon.testing.MaildirContents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The README's Exchange Online path, followed as written: deploy/config.graph.example.yaml, with only the hosts
 * pointed at the simulator, against a tenant set up as the README says (the app with the Graph application
 * permissions Mail.ReadWrite and Mail.Send, the mailboxes the file names). It passes the startup rules, and the
 * daemon delivers every mailbox's mail over a Graph that enforces Microsoft's query rules.
 */
class ExampleGraphConfigTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT_ID = "66666666-7777-8888-9999-000000000000";
    private static final String SECRET = "example-secret-Qw3";
    private static final List<String> MAILBOXES = List.of("invoices@contoso.com", "orders@contoso.com");

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0, TENANT).registerApp(CLIENT_ID, SECRET)
            .graphAppRoles(CLIENT_ID, "Mail.ReadWrite", "Mail.Send").appRoles(CLIENT_ID);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    @Test
    void theExampleGraphConfigDeliversEveryMailbox() throws Exception {
        simulator.addMailbox("erp@contoso.com");
        MAILBOXES.forEach(address -> simulator.addMailbox(address).seedSampleMessages(address));
        MailConfig config = ExampleConfig.load(Path.of("deploy/config.graph.example.yaml"), simulator, dir, SECRET);
        assertEquals(List.of(), ConfigRules.problems(config));
        assertEquals(MailConfig.MailboxApi.GRAPH, config.exchange().api());

        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        EntraTokens tokens = new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry());
        try (GraphConnector graph = new GraphConnector(config, tls, new SimpleMeterRegistry())) {
            Poller poller = new Poller(config, graph, tokens, Clock.systemUTC(),
                    new PollMetrics(new SimpleMeterRegistry(), config), false);
            poller.start(null);
            try {
                for (String address : MAILBOXES) {
                    MailboxStatus status = poller.pollNow(address);
                    assertEquals(4, status.delivered(), status::toString);
                }
            } finally {
                poller.stop(null);
            }
        }

        for (String address : MAILBOXES) {
            assertEquals(4, new HashSet<>(MaildirContents.messages(dir.resolve("maildir"), address)).size(), address);
            assertTrue(simulator.messages(address, "inbox").stream().allMatch(message -> message.read()), address);
        }
        assertEquals(0, simulator.ewsRequests().size(), "Graph only");
    }
}
