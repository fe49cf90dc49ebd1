package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A Maildir that cannot be written (a full disk, a broken mount): the poll fails with a clear local error,
 * nothing is marked on the server, and delivery resumes, exactly once, when writing works again.
 */
class UnwritableMaildirTest {

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    @Test
    void nothingIsMarkedUntilTheMessageIsSafelyStored() throws Exception {
        simulator.addMailbox(INVOICES);
        List<byte[]> seeded = simulator.seedSampleMessages(INVOICES);
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        Mailbox mailbox = new EwsConnector(config, TrustedTls.create(config.exchange().trustStore())).connect(INVOICES,
                new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()), Clock.systemUTC(),
                        new SimpleMeterRegistry()).forUser(INVOICES, ""));
        Path root = dir.resolve("maildir").resolve(INVOICES);
        Maildir maildir = new Maildir(root).create();
        Path tmp = root.resolve("tmp");
        Files.delete(tmp);
        Files.writeString(tmp, "a file where tmp/ should be: every write fails");

        try (DeliveryLog log = DeliveryLog.open(dir.resolve("state/invoices.delivered"))) {
            MailboxException failure = assertThrows(MailboxException.class, () -> poll(mailbox, maildir, log));
            assertEquals(MailboxException.LOCAL_DELIVERY, failure.code());
            assertTrue(failure.getMessage().contains("locally"), failure.getMessage());
            assertTrue(simulator.messages(INVOICES, "inbox").stream().noneMatch(message -> message.read()),
                    "nothing marked read while nothing was stored");
            assertEquals(0, MaildirContents.count(root.resolve("new")));

            Files.delete(tmp);
            Files.createDirectory(tmp);
            PollOutcome outcome = poll(mailbox, maildir, log);

            assertEquals(seeded.size(), outcome.delivered());
        }
        assertEquals(new HashSet<>(MaildirContents.wrap(seeded)),
                new HashSet<ByteBuffer>(MaildirContents.messages(dir.resolve("maildir"), INVOICES)));
        assertEquals(seeded.size(), MaildirContents.messages(dir.resolve("maildir"), INVOICES).size());
        assertFalse(simulator.messages(INVOICES, "inbox").stream().anyMatch(message -> !message.read()));
    }

    private static PollOutcome poll(Mailbox mailbox, Maildir maildir, DeliveryLog log) throws Exception {
        return new MailboxPoll(mailbox, "inbox", maildir, log, AfterDelivery.MARK_READ, "Processed", "host",
                new SetAside(), new PollProgress(Clock.systemUTC())).run();
    }
}
