package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.CommandTarget;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.DeliveryTarget;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.delivery.SpoolDirectory;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.CapturedLog;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TargetFixture;
import dev.exchangemaildaemon.testing.TargetKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two different messages with one Message-ID, received in the same second (a resent message, a broken sender that
 * reuses its ids): they share a delivery key, yet neither replaces the other and neither is skipped silently.
 */
class SharedMessageIdTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-04T09:00:00Z");

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    private static byte[] message(String body) {
        return ("Message-ID: <reused@sender.example>\r\nFrom: erp@contoso.com\r\nTo: " + INVOICES
                + "\r\nSubject: same id\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private PollOutcome poll() throws Exception {
        return poll(new Maildir(dir.resolve("maildir").resolve(INVOICES)).create());
    }

    private PollOutcome poll(DeliveryTarget target) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        Mailbox mailbox = new EwsConnector(config, tls).connect(INVOICES,
                new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry()).forUser(INVOICES, ""));
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("state").resolve(INVOICES + ".delivered"))) {
            return new MailboxPoll(mailbox, "inbox", target, log, AfterDelivery.MARK_READ, "Processed", "host",
                    new SetAside(), new PollProgress(Clock.systemUTC())).run();
        }
    }

    @Test
    void bothAreDeliveredAndTheSharedKeyIsLogged() throws Exception {
        simulator.addMailbox(INVOICES);
        byte[] first = message("the first");
        byte[] second = message("the second, another message");
        simulator.deliver(INVOICES, "inbox", first, false, RECEIVED);
        simulator.deliver(INVOICES, "inbox", second, false, RECEIVED);

        try (CapturedLog log = CapturedLog.install()) {
            assertEquals(2, poll().delivered());
            assertTrue(log.text().contains("share Message-ID <reused@sender.example>"), log.text());
        }
        assertEquals(new HashSet<>(MaildirContents.wrap(List.of(first, second))),
                new HashSet<>(MaildirContents.messages(dir.resolve("maildir"), INVOICES)));
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(message -> message.read()));

        assertEquals(0, poll().delivered(), "and each once only");
        assertEquals(2, MaildirContents.messages(dir.resolve("maildir"), INVOICES).size());
    }

    /**
     * The first of the two reaches the Maildir, the second's fetch fails: neither is recorded nor marked read, since
     * the key recorded as done would have the second taken for delivered and never fetched again.
     */
    @Test
    void whenOneOfThemFailsNeitherIsDoneUntilBothAreInTheMaildir() throws Exception {
        simulator.addMailbox(INVOICES);
        byte[] first = message("the first");
        byte[] second = message("the second, another message");
        simulator.deliver(INVOICES, "inbox", first, false, RECEIVED);
        simulator.deliver(INVOICES, "inbox", second, false, RECEIVED);
        simulator.ewsFault(HttpFault.dropConnectionInside(second).times(Integer.MAX_VALUE).operation("GetItem"));

        try {
            poll();
        } catch (MailboxException e) {
            // the failed fetch may fail the poll; what matters is what it left behind
        }
        assertTrue(simulator.messages(INVOICES, "inbox").stream().noneMatch(message -> message.read()),
                "neither is marked read while one is missing");

        simulator.clearFaults();
        poll();
        assertEquals(new HashSet<>(MaildirContents.wrap(List.of(first, second))),
                new HashSet<>(MaildirContents.messages(dir.resolve("maildir"), INVOICES)));
        assertEquals(2, MaildirContents.messages(dir.resolve("maildir"), INVOICES).size(), "each once");
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(message -> message.read()));
    }

    /**
     * A command target: both wait in the spool between their fetch and their hand-over, each in a file of its own
     * (sharing one, the second would overwrite the first, which would never be handed over, and the second would be
     * handed over again at every poll). The command files every run into a new file, so a repeat would show.
     */
    @Test
    void aCommandTargetGetsEachOfThemOnce() throws Exception {
        Path handedOver = Files.createDirectories(dir.resolve("handed-over"));
        CommandTarget command = new CommandTarget(
                List.of("/bin/sh", "-c", "cat > \"$0/$(date +%s%N)-$$\"", handedOver.toString()),
                Duration.ofSeconds(30), new Semaphore(1), SpoolDirectory.open(dir.resolve("spool")));
        simulator.addMailbox(INVOICES);
        byte[] first = message("the first");
        byte[] second = message("the second, another message");
        simulator.deliver(INVOICES, "inbox", first, false, RECEIVED);
        simulator.deliver(INVOICES, "inbox", second, false, RECEIVED);

        assertEquals(2, poll(command).delivered());
        assertEquals(new HashSet<>(MaildirContents.wrap(List.of(first, second))), contents(handedOver));
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(message -> message.read()));

        assertEquals(0, poll(command).delivered(), "and each once only");
        assertEquals(2, MaildirContents.count(handedOver));
    }

    /** The same through LMTP, to a real Dovecot, which keeps whatever it is given. */
    @Test
    void anLmtpTargetGetsEachOfThemOnce() throws Exception {
        try (TargetFixture dovecot = TargetFixture.start(TargetKind.LMTP, dir)) {
            DeliveryTarget lmtp = dovecot.open(INVOICES);
            simulator.addMailbox(INVOICES);
            byte[] first = message("the first");
            byte[] second = message("the second, another message");
            simulator.deliver(INVOICES, "inbox", first, false, RECEIVED);
            simulator.deliver(INVOICES, "inbox", second, false, RECEIVED);

            assertEquals(2, poll(lmtp).delivered(), dovecot::serverLog);
            assertEquals(new HashSet<>(MaildirContents.wrap(List.of(first, second))),
                    new HashSet<>(dovecot.delivered(INVOICES)));
            assertEquals(2, dovecot.delivered(INVOICES).size());

            assertEquals(0, poll(lmtp).delivered(), "and each once only");
            assertEquals(2, dovecot.delivered(INVOICES).size());
        }
    }

    private static Set<ByteBuffer> contents(Path dir) throws IOException {
        Set<ByteBuffer> contents = new HashSet<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                contents.add(ByteBuffer.wrap(Files.readAllBytes(file)));
            }
        }
        return contents;
    }

    @Test
    void oneArrivingAfterTheOtherWasDoneIsNotSkippedSilently() throws Exception {
        simulator.addMailbox(INVOICES);
        simulator.deliver(INVOICES, "inbox", message("the first"), false, RECEIVED);
        assertEquals(1, poll().delivered());
        simulator.deliver(INVOICES, "inbox", message("the second, another message"), false, RECEIVED);

        try (CapturedLog log = CapturedLog.install()) {
            poll();
            assertTrue(log.text().contains("left unread on the server and not delivered again"), log.text());
            assertTrue(log.text().contains("<reused@sender.example> received " + RECEIVED), log.text());
        }
        assertFalse(simulator.messages(INVOICES, "inbox").get(1).read(), "left unread, so nothing is lost");
    }
}
