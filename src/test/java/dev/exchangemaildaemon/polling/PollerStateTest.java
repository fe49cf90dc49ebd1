package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.delivery.StateLock;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Who opens the state directory and what happens when part of it cannot be opened: only a polling daemon holds
 * it (a command beside the running service touches nothing), one daemon at a time, and a mailbox whose record
 * cannot be opened fails alone, saying why.
 */
class PollerStateTest {

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
    private final List<Poller> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (Poller poller : started) {
            poller.stop(null);
        }
        simulator.stop();
    }

    private Poller start(boolean scheduled) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.incoming.mailboxes[1].address", ORDERS));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        Poller poller = new Poller(config, new EwsConnector(config, tls),
                new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry()), Clock.systemUTC(),
                new PollMetrics(new SimpleMeterRegistry(), config), scheduled);
        poller.start(null);
        started.add(poller);
        return poller;
    }

    @Test
    void withoutTheSchedulerNothingInTheStateIsOpened() throws Exception {
        // what the running service has in progress: a message being written, and its record
        Path inProgress = Files.createDirectories(dir.resolve("maildir").resolve(INVOICES).resolve("tmp"))
                .resolve("1700000000.key.host.exchange-mail-daemon.1700000000000-1.1"); // the daemon's own name
        Files.writeString(inProgress, "half a message");
        Path record = Files.createDirectories(dir.resolve("state")).resolve(INVOICES + ".delivered");
        Files.writeString(record, "D AAAAAAAAAAAAAAAAAAAAAA\n");

        start(false);

        assertTrue(Files.exists(inProgress), "a command must not clean up the service's tmp/");
        assertEquals("D AAAAAAAAAAAAAAAAAAAAAA\n", Files.readString(record));
        assertFalse(Files.exists(dir.resolve("state").resolve(StateLock.FILE_NAME)), "no lock taken");
        assertFalse(Files.exists(dir.resolve("maildir").resolve(ORDERS)), "no Maildir created");
    }

    @Test
    void aSecondDaemonOnTheSameStateDoesNotStart() throws Exception {
        simulator.addMailbox(INVOICES);
        simulator.addMailbox(ORDERS);
        start(true);
        StateLock.StateLockedException refused = assertThrows(StateLock.StateLockedException.class,
                () -> start(true));
        assertTrue(refused.getMessage().contains(StateLock.FILE_NAME), refused.getMessage());
        assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
    }

    @Test
    void aRecordThatCannotBeOpenedStopsOnlyItsMailbox() throws Exception {
        simulator.addMailbox(INVOICES);
        simulator.addMailbox(ORDERS);
        simulator.seedSampleMessages(INVOICES);
        simulator.seedSampleMessages(ORDERS);
        // a directory where the record should be: it can be neither read nor written
        Path record = Files.createDirectories(dir.resolve("state").resolve(INVOICES + ".delivered"));
        Poller poller = start(false);

        MailboxStatus invoices = poller.pollNow(INVOICES);
        MailboxStatus orders = poller.pollNow(ORDERS);

        assertEquals(1, invoices.consecutiveFailures());
        assertTrue(invoices.lastError().orElseThrow().contains(record.toString()), invoices.lastError().orElseThrow());
        assertTrue(simulator.messages(INVOICES, "inbox").stream().noneMatch(message -> message.read()),
                "nothing marked read without a record");
        assertEquals(0, orders.consecutiveFailures(), orders.lastError().orElse(""));
        assertTrue(orders.delivered() > 0);

        Files.delete(record);
        assertEquals(0, poller.pollNow(INVOICES).consecutiveFailures(), "opened again by the next poll");
    }
}
