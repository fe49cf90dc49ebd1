package dev.exchangemaildaemon.outgoing;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.CapturedLog;
import dev.exchangemaildaemon.testing.MutableClock;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The pickup directory's own rules, wired by hand against the simulator over EWS, on a clock the test moves: what
 * Exchange accepted is never sent again, also when its record cannot be written; a file still being written waits;
 * a header block without end, a symbolic link and a clash of names in failed/ each end as one clear failure.
 */
class PickupDirectoryTest {

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private MutableClock clock;
    private PickupDirectory pickup;
    private Path pickupDir;

    @BeforeEach
    void start() throws IOException {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(SENDER).addMailbox(INVOICES);
        pickupDir = dir.resolve("pickup");
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.outgoing.senders[0]", SENDER,
                "mail.outgoing.pickup", pickupDir.toString()));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        OutgoingStatus status = new OutgoingStatus(meters, clock);
        Senders senders = new Senders(config, new EntraTokens(config, tls, Clock.systemUTC(), meters),
                new EwsConnector(config, tls, meters, wait -> { }));
        pickup = new PickupDirectory(config, new OutgoingSender(senders, config, status, clock), status, clock, false);
        pickup.start(null);
    }

    @AfterEach
    void stop() throws IOException {
        pickup.stop(null);
        simulator.stop();
    }

    /** The disk under the state directory fails (full, read-only, I/O error) just as Exchange accepts the file. */
    @Test
    void aFileExchangeAcceptedIsSentOnceWhenItsRecordCannotBeWritten() throws Exception {
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        String name = drop("invoice.eml", message);
        pickup.acceptedRecord().close(); // every write to it now fails

        try (CapturedLog log = CapturedLog.install()) {
            int first = pickup.runOnce();
            int second = pickup.runOnce();

            assertEquals(1, sentItems().size(), "sent once");
            assertEquals(List.of(1, 0), List.of(first, second));
            assertArrayEquals(message, Files.readAllBytes(pickupDir.resolve("sent").resolve(name)));
            assertFalse(Files.exists(pickupDir.resolve("new").resolve(name)));
            assertTrue(log.text().lines().anyMatch(line -> line.startsWith("ERROR") && line.contains(name)
                    && line.contains("outgoing-pickup.sent")), log::text);
        }
    }

    /** As above, and sent/ cannot be written either: the file stays in new/, and this process still never resends. */
    @Test
    void aFileExchangeAcceptedIsSentOnceWhenNeitherItsRecordNorTheMoveSucceed() throws Exception {
        String name = drop("invoice.eml", OutgoingMessages.invoice(SENDER, INVOICES));
        pickup.acceptedRecord().close();
        Path sentDir = pickupDir.resolve("sent");
        Files.delete(sentDir);
        Files.writeString(sentDir, "not a directory");

        pickup.runOnce();
        pickup.runOnce();

        assertEquals(1, sentItems().size(), "sent once");
        assertTrue(Files.exists(pickupDir.resolve("new").resolve(name)), "the move could not happen");

        Files.delete(sentDir);
        Files.createDirectory(sentDir);
        assertEquals(1, pickup.runOnce(), "moved once sent/ takes it");
        assertEquals(1, sentItems().size(), "and not sent again");
        assertTrue(Files.exists(sentDir.resolve(name)));
    }

    /** Software that writes straight into new/ (as IIS-style pickup folders allow) gets its message sent whole. */
    @Test
    void aFileStillBeingWrittenIsTakenOnlyOnceItHasSettled() throws Exception {
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        Path file = pickupDir.resolve("new").resolve("invoice.eml");
        Files.write(file, Arrays.copyOf(message, message.length / 2));
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));

        assertEquals(0, pickup.runOnce(), "just written: not taken");
        clock.advance(Duration.ofSeconds(1));
        Files.write(file, message);
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        clock.advance(Duration.ofMillis(1999));
        assertEquals(0, pickup.runOnce(), "written 1.999 s ago: not taken");
        assertEquals(0, sentItems().size());

        clock.advance(Duration.ofMillis(1));
        assertEquals(1, pickup.runOnce(), "unchanged for the settle time");
        assertEquals(1, sentItems().size());
        assertArrayEquals(message, sentItems().get(0).mime(), "sent whole");
    }

    /** A writer on another host whose clock is ahead: its file is judged by the daemon's own looks. */
    @Test
    void aFileDatedAheadOfTheClockIsTakenOnceTheDaemonSawItUnchangedForTheSettleTime() throws Exception {
        Path file = pickupDir.resolve("new").resolve("invoice.eml");
        Files.write(file, OutgoingMessages.invoice(SENDER, INVOICES));
        Files.setLastModifiedTime(file, FileTime.from(clock.instant().plus(Duration.ofHours(1))));

        assertEquals(0, pickup.runOnce());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, pickup.runOnce());
    }

    /** A zero-filled or preallocated file has no line break: the header block is read up to its limit, no further. */
    @Test
    void aFileWithoutLineBreaksGoesToFailedNamingTheHeaderLimit() throws Exception {
        Path file = pickupDir.resolve("new").resolve("blank.eml");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 4; i++) {
                out.write(zeros);
            }
        }
        settle(file);

        assertEquals(0, pickup.runOnce());

        Path failed = pickupDir.resolve("failed");
        assertTrue(Files.exists(failed.resolve("blank.eml")));
        String reason = Files.readString(failed.resolve("blank.eml.reason"));
        assertTrue(reason.startsWith("552 5.3.4 the header block does not end within the first 262144 bytes"),
                reason);
        assertEquals(0, sentItems().size());
    }

    /** A From header, then one line longer than the limit: it is not sent with whatever headers fit. */
    @Test
    void aHeaderLineLongerThanTheLimitGoesToFailed() throws Exception {
        String huge = "X-Padding: " + "a".repeat(MimeHeaderBlock.MAX_HEADER_BYTES) + "\r\n";
        byte[] message = ("From: <" + SENDER + ">\r\n" + huge + "To: <" + INVOICES + ">\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        drop("long.eml", message);

        pickup.runOnce();

        String reason = Files.readString(pickupDir.resolve("failed").resolve("long.eml.reason"));
        assertTrue(reason.contains("262144 bytes"), reason);
        assertEquals(0, sentItems().size());
    }

    /** Software that names every file alike: each failure keeps its own reason. */
    @Test
    void twoFailedFilesOfTheSameNameEachKeepTheirOwnReason() throws Exception {
        drop("invoice.eml", OutgoingMessages.invoice("ceo@contoso.com", INVOICES));
        pickup.runOnce();
        drop("invoice.eml", OutgoingMessages.invoice("cfo@contoso.com", INVOICES));
        pickup.runOnce();

        Path failed = pickupDir.resolve("failed");
        List<Path> messages;
        try (Stream<Path> files = Files.list(failed)) {
            messages = files.filter(file -> !file.getFileName().toString().endsWith(".reason")).sorted().toList();
        }
        assertEquals(2, messages.size(), messages::toString);
        for (Path message : messages) {
            String from = new String(Files.readAllBytes(message), StandardCharsets.UTF_8).lines().findFirst()
                    .orElseThrow();
            Path reason = message.resolveSibling(message.getFileName() + ".reason");
            assertTrue(Files.exists(reason), () -> "no reason for " + message.getFileName());
            String address = from.substring(from.indexOf('<') + 1, from.indexOf('>'));
            assertTrue(Files.readString(reason).contains("<" + address + ">"),
                    () -> message.getFileName() + " is from " + address + ", but its reason is another's");
        }
    }

    /** A link would have the daemon read, and send, whatever its target is, with the daemon's rights. */
    @Test
    void aSymbolicLinkIsNotFollowedButMovedToFailed() throws Exception {
        Path target = dir.resolve("secret.eml");
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        Files.write(target, message);
        settle(target);
        Path link = Files.createSymbolicLink(pickupDir.resolve("new").resolve("link.eml"), target);

        assertEquals(0, pickup.runOnce());

        Path failed = pickupDir.resolve("failed");
        assertTrue(Files.isSymbolicLink(failed.resolve("link.eml")), "the link itself moved");
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.readString(failed.resolve("link.eml.reason")).contains("symbolic link"));
        assertArrayEquals(message, Files.readAllBytes(target), "the target untouched");
        assertEquals(0, sentItems().size());
    }

    private List<SimMessage> sentItems() {
        return simulator.messages(SENDER, "sentitems");
    }

    /** Writes the message to tmp/ and renames it into new/, dated a minute back; returns its name. */
    private String drop(String name, byte[] message) throws IOException {
        Path tmp = pickupDir.resolve("tmp").resolve(name);
        Files.write(tmp, message);
        settle(tmp);
        Files.move(tmp, pickupDir.resolve("new").resolve(name));
        return name;
    }

    private void settle(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(clock.instant().minus(Duration.ofMinutes(1))));
    }
}
