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

/** Graph throttling, with and without a Retry-After the client must read as Graph writes it ({@code 2.128}). */
class GraphThrottlingTest {

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

    /**
     * Graph throttles the MIME fetch poll after poll: that is the mailbox's trouble, never the message's. Before, a
     * 429 without a Retry-After the client could read (none, or {@code 2.128}) carried no back-off, so the fetch
     * failure was blamed on the first message in line, which was set aside after three polls although nothing was
     * wrong with it.
     */
    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = { "", "2.128" })
    void aThrottledFetchSetsNoMessageAside(String retryAfter) throws Exception {
        start();
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

    /**
     * Graph throttles one request inside the first $batch that marks messages read (its own 429 in a 200 batch):
     * that message is not lost but marked read on the next poll, the batches after it wait for that poll too (the
     * back-off holds for the mailbox), and nothing is set aside. Without a Retry-After the item had no back-off
     * before, and the next batch went straight into the throttle.
     */
    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = { "", "2.128" })
    void aRequestThrottledInsideABatchIsDoneOnTheNextPollAndTheBatchesAfterItWait(String retryAfter)
            throws Exception {
        start();
        int count = 25; // two batches: 20 and 5
        for (int i = 0; i < count; i++) {
            simulator.deliver(INVOICES, "inbox", TestMessages.plain(INVOICES, "message " + i), false);
        }
        simulator.throttleGraphOperation("updateMessage", 1, Optional.of(retryAfter).filter(value -> !value.isEmpty()));
        poller = poller();

        MailboxStatus first = poller.pollNow(INVOICES);

        assertEquals(count, MaildirContents.messages(dir.resolve("maildir"), INVOICES).size());
        assertEquals(1, simulator.graphRequestCounts().get("$batch"), "the second batch waits for the back-off");
        assertEquals(count - 19, unread(), "the throttled one and the second batch's five");
        assertEquals(List.of(), first.setAside());

        MailboxStatus second = poller.pollNow(INVOICES);

        assertEquals(0, unread(), "done on the next poll");
        assertEquals(2, simulator.graphRequestCounts().get("$batch"), "the six left in one batch");
        assertEquals(count, MaildirContents.messages(dir.resolve("maildir"), INVOICES).size(), "none twice");
        assertEquals(List.of(), second.setAside());
    }

    private long unread() {
        return simulator.messages(INVOICES, "inbox").stream().filter(message -> !message.read()).count();
    }

    private void start() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(INVOICES);
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
