package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.CapturedLog;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A message whose fetch breaks off every time, oldest first in the inbox, over EWS and over Graph: before, every poll
 * failed on it and the message after it never arrived. Now, after three attempts, it is set aside (named in the
 * status, the log and a metric), the others are delivered, and it is tried again every fourth poll, after them,
 * until it arrives.
 */
class SetAsideTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <([^>]+)>");

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

    @ParameterizedTest
    @ValueSource(strings = { "ews", "graph" })
    void aMessageWhoseFetchAlwaysBreaksIsSetAsideAndTheMessagesAfterItAreDelivered(String api) throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(INVOICES);
        byte[] before = TestMessages.plain(INVOICES, "before");
        byte[] poison = TestMessages.plain(INVOICES, "breaks every time");
        byte[] after = TestMessages.plain(INVOICES, "after");
        for (byte[] mime : List.of(before, poison, after)) {
            simulator.deliver(INVOICES, "inbox", mime, false);
        }
        inject(api, HttpFault.dropConnectionInside(poison).times(Integer.MAX_VALUE));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        poller = poller(api, meters);
        String poisonId = messageId(poison);

        try (CapturedLog log = CapturedLog.install()) {
            for (int attempt = 1; attempt <= SetAside.ATTEMPTS - 1; attempt++) {
                MailboxStatus status = poller.pollNow(INVOICES);
                assertEquals(attempt, status.consecutiveFailures(), "the poll fails on it while it is in line");
                assertEquals(List.of(), status.setAside());
                assertTrue(poller.progress().last().isPresent(), "a poll that ends, even failed, is progress");
            }
            assertEquals(List.of(wrap(before)), delivered(), "what came before it");

            MailboxStatus third = poller.pollNow(INVOICES);
            assertEquals(0, third.consecutiveFailures(), () -> third.lastError().orElse(""));
            assertEquals(1, third.setAside().size());
            assertTrue(third.setAside().get(0).contains(poisonId), third.setAside()::toString);
            assertEquals(List.of(wrap(before), wrap(after)), delivered(), "the message after it arrived");
            assertEquals(1.0, setAsideGauge(meters));
            assertTrue(log.text().lines().anyMatch(line -> line.startsWith("WARN") && line.contains("set aside")
                    && line.contains(poisonId)), log::text);
        }

        MailboxStatus retried = poller.pollNow(INVOICES); // the fourth poll tries it again, and it fails again
        assertEquals(0, retried.consecutiveFailures(), "failing alone, it no longer fails the poll");
        assertEquals(onlySetAside(retried), poisonId);
        int fetchesOfTheFourthPoll = fetches(api);

        simulator.clearFaults();
        for (int poll = 5; poll < 4 + SetAside.RETRY_EVERY; poll++) {
            assertEquals(poisonId, onlySetAside(poller.pollNow(INVOICES)), "not tried again before its turn");
        }
        assertEquals(fetchesOfTheFourthPoll, fetches(api), "nothing fetched while it waits its turn");

        MailboxStatus recovered = poller.pollNow(INVOICES);
        assertEquals(List.of(), recovered.setAside());
        assertEquals(0.0, setAsideGauge(meters));
        assertEquals(List.of(wrap(before), wrap(after), wrap(poison)), delivered());
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(SimMessage::read));
    }

    private static String onlySetAside(MailboxStatus status) {
        assertEquals(1, status.setAside().size(), status.setAside()::toString);
        Matcher id = Pattern.compile("<?([^>]+)>?").matcher(status.setAside().get(0));
        assertTrue(id.matches());
        return id.group(1);
    }

    private Poller poller(String api, SimpleMeterRegistry meters) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.exchange.api", api,
                "mail.exchange.graph-url", simulator.graphUri().toString()));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        MailboxConnector connector = api.equals("ews")
                ? new EwsConnector(config, tls, meters, wait -> { }) // retries not waited out
                : new GraphConnector(config, tls, meters);
        Poller started = new Poller(config, connector, new EntraTokens(config, tls, Clock.systemUTC(), meters),
                Clock.systemUTC(), new PollMetrics(meters, config), false);
        started.start(null);
        return started;
    }

    private void inject(String api, HttpFault fault) {
        if (api.equals("ews")) {
            simulator.ewsFault(fault.operation("GetItem"));
        } else {
            simulator.graphFault(fault.operation("getMime"));
        }
    }

    private int fetches(String api) {
        return api.equals("ews") ? simulator.ewsRequestCounts().getOrDefault("GetItem", 0)
                : simulator.graphRequestCounts().getOrDefault("getMime", 0);
    }

    private List<ByteBuffer> delivered() {
        return MaildirContents.messages(dir.resolve("maildir"), INVOICES).stream()
                .sorted((a, b) -> Integer.compare(order(a), order(b))).toList();
    }

    /** The test messages' subjects say where they stand in the inbox. */
    private static int order(ByteBuffer mime) {
        String text = StandardCharsets.UTF_8.decode(mime.duplicate()).toString();
        return text.contains("Subject: before") ? 0 : text.contains("Subject: after") ? 1 : 2;
    }

    private static ByteBuffer wrap(byte[] mime) {
        return ByteBuffer.wrap(mime);
    }

    private static double setAsideGauge(SimpleMeterRegistry meters) {
        Gauge gauge = meters.find("exchange_mail_messages_set_aside").tag("mailbox", INVOICES).gauge();
        assertFalse(gauge == null, "the gauge is registered");
        return gauge.value();
    }

    private static String messageId(byte[] mime) {
        Matcher id = MESSAGE_ID.matcher(new String(mime, StandardCharsets.UTF_8));
        assertTrue(id.find());
        return id.group(1);
    }
}
