package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Graph throttles the MIME fetch poll after poll: that is the mailbox's trouble, never the message's. Before, a 429
 * without a Retry-After the client could read (none, or Graph's own {@code 2.128}) carried no back-off, so the fetch
 * failure was blamed on the first message in line, which was set aside after three polls although nothing was wrong
 * with it.
 */
class ThrottledFetchTest {

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private Poller poller;

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.stop(null);
        }
        simulator.stop();
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = { "", "2.128" })
    void aThrottledFetchSetsNoMessageAside(String retryAfter) throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(INVOICES);
        List<byte[]> messages = List.of(TestMessages.plain(INVOICES, "first in line"),
                TestMessages.plain(INVOICES, "second"));
        for (byte[] mime : messages) {
            simulator.deliver(INVOICES, "inbox", mime, false);
        }
        simulator.graphFault(HttpFault.tooManyRequests(Optional.of(retryAfter).filter(value -> !value.isEmpty()))
                .operation("getMime").times(Integer.MAX_VALUE));
        poller = poller();

        for (int poll = 1; poll <= SetAside.ATTEMPTS; poll++) {
            MailboxStatus status = poller.pollNow(INVOICES);
            assertEquals(List.of(), status.setAside(), "poll " + poll + ": throttling is no message's fault");
        }
        assertEquals(List.of(), MaildirContents.messages(dir.resolve("maildir"), INVOICES));

        simulator.clearFaults();
        MailboxStatus recovered = poller.pollNow(INVOICES);
        assertEquals(List.of(), recovered.setAside());
        assertEquals(2, MaildirContents.messages(dir.resolve("maildir"), INVOICES).size(), "both, in one poll");
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(SimMessage::read));
    }

    private Poller poller() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.exchange.api", "graph",
                "mail.exchange.graph-url", simulator.graphUri().toString()));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        Poller started = new Poller(config, new GraphConnector(config, tls, meters),
                new EntraTokens(config, tls, Clock.systemUTC(), meters), Clock.systemUTC(),
                new PollMetrics(meters, config), false);
        started.start(null);
        return started;
    }
}
