package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertAllRead;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertEachDeliveredOnce;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertTmpEmpty;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.unreadOnServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TargetFixture;
import dev.exchangemaildaemon.testing.TargetKind;

/**
 * kill -9 of the packaged daemon at points all through a poll, restarted each time on the same Maildir and state:
 * in the end every message is in the Maildir exactly once, byte for byte, nothing is left in tmp/, and every
 * message is marked read on the server. Between runs a mail reader moves what is in new/ to cur/, so that a
 * message written again would show as a second copy rather than overwrite the first under the same name.
 *
 * <p>The same for the command target, the import script filing into a Maildir: it keeps each message's delivery key,
 * as an import that is to get each message once must, so that a message handed over again after a kill that came
 * between the script's exit 0 and the daemon's record of it is recognised. (An LMTP server cannot be asked what it
 * holds: one message per such kill may arrive twice there; see README, LMTP.)
 */
class CrashIT extends AgainstSimulator {

    private static final String ADDRESS = SimulatorResource.INVOICES;
    private static final int OWN_MESSAGES = 40;
    /** Messages in the Maildir at which a run is killed; it grows from run to run, so these count them all. */
    private static final List<Integer> KILL_AT_FILES = List.of(1, 7, 23);
    /**
     * Holds the mark-read request back for longer than a restart takes. The simulator runs the delayed request
     * once the delay is over, client gone or not; the restarted daemon must have done the action itself by then.
     */
    private static final Duration SERVER_ACTION_DELAY = Duration.ofSeconds(30);

    CrashIT() {
        super(ADDRESS);
    }

    /** A transport and the names the simulator gives its mark-read and fetch requests. */
    record Transport(String api, String markRead, String fetch) {
        @Override
        public String toString() {
            return api;
        }
    }

    static List<Transport> transports() {
        return List.of(new Transport("ews", "UpdateItem", "GetItem"), new Transport("graph", "$batch", "getMime"));
    }

    static List<Arguments> cases() {
        return transports().stream().flatMap(transport -> Stream.of(TargetKind.MAILDIR, TargetKind.COMMAND)
                .map(kind -> Arguments.of(transport, kind))).toList();
    }

    private Transport transport;

    @ParameterizedTest(name = "over {0} into {1}")
    @MethodSource("cases")
    void killedAnywhereInAPollTheDaemonEndsWithEachMessageOnceAndMarkedRead(Transport transport, TargetKind kind)
            throws IOException {
        this.transport = transport;
        String[] target;
        try (TargetFixture fixture = TargetFixture.start(kind, dir)) {
            target = fixture.daemonOptions(ADDRESS);
        }
        List<byte[]> seeded = new ArrayList<>(simulator.seedSampleMessages(ADDRESS));
        for (int i = 1; i <= OWN_MESSAGES; i++) {
            byte[] mime = ownMessage(i);
            simulator.deliver(ADDRESS, "inbox", mime, false);
            seeded.add(mime);
        }
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS, transport.api());

        for (int killAt : KILL_AT_FILES) {
            // if the previous kill landed late, this run still has to deliver something before it dies
            int atLeast = Math.max(killAt, delivered(setup) + 1);
            try (DaemonProcess daemon = DaemonProcess.start(setup, target)) {
                daemon.await(atLeast + " messages in the Maildir", Duration.ofSeconds(60),
                        () -> delivered(setup) >= atLeast);
                int seen = delivered(setup);
                daemon.kill();
                System.out.printf("CrashIT: kill -9 at %d messages in the Maildir (seen %d, %d once dead,"
                        + " %d in tmp/)%n", atLeast, seen, delivered(setup), setup.files(ADDRESS, "tmp").size());
            }
            MailReader.takeNew(setup, ADDRESS);
        }

        // A crash after files reached new/ but before their records were forced to disk loses the records' tail;
        // cut the record back by half (maybe mid-line) so the daemon must recognise those files by their names.
        Path record = setup.stateDir().resolve(ADDRESS + ".delivered");
        long recordBytes = size(record);
        truncate(record, recordBytes / 2);
        System.out.printf("CrashIT: delivery record cut from %d to %d bytes%n", recordBytes, recordBytes / 2);

        holdBackMarkRead();
        int markReadRequests = requests(transport.markRead());
        try (DaemonProcess daemon = DaemonProcess.start(setup, target)) {
            daemon.await("the mark-read request reaches the server", Duration.ofSeconds(60),
                    () -> requests(transport.markRead()) > markReadRequests);
            // Each API has faults of its own: a fault set for the other one would let the request through at once.
            daemon.await("the delay holds that request", Duration.ofSeconds(10), () -> !markReadHeldBackLeft());
            assertEquals(seeded.size(), delivered(setup),
                    "every message is in the Maildir before the server is changed");
            assertEquals(seeded.size(), unreadOnServer(simulator, ADDRESS),
                    "unread on the server while the action hangs");
            daemon.kill();
            System.out.printf("CrashIT: kill -9 between delivery and mark-read (%d in the Maildir, %d unread on the"
                    + " server)%n", delivered(setup), unreadOnServer(simulator, ADDRESS));
        }

        simulator.clearFaults();
        int fetches = requests(transport.fetch());
        try (DaemonProcess daemon = DaemonProcess.start(setup, target)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            assertEachDeliveredOnce(setup, ADDRESS, seeded);
            assertTmpEmpty(setup, ADDRESS);
            assertAllRead(simulator, ADDRESS);
            assertEquals(fetches, requests(transport.fetch()),
                    "the last run only completes the pending server action: it fetches no message again");
        }
    }

    /** Files in new/ and cur/. */
    private static int delivered(DaemonSetup setup) {
        return setup.files(ADDRESS, "new").size() + setup.files(ADDRESS, "cur").size();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void holdBackMarkRead() {
        HttpFault delay = HttpFault.delay(SERVER_ACTION_DELAY).operation(transport.markRead());
        if (transport.api().equals("graph")) {
            simulator.graphFault(delay);
        } else {
            simulator.ewsFault(delay);
        }
    }

    private boolean markReadHeldBackLeft() {
        return transport.api().equals("graph") ? simulator.graphFaultsLeft() : simulator.ewsFaultsLeft();
    }

    private int requests(String operation) {
        var counts = transport.api().equals("graph") ? simulator.graphRequestCounts() : simulator.ewsRequestCounts();
        return counts.getOrDefault(operation, 0);
    }

    /** A small plain-text message with its own Message-ID; sizes vary from about 1 to 20 KB. */
    private static byte[] ownMessage(int number) {
        StringBuilder body = new StringBuilder();
        for (int line = 0; line < 10 + (number * 37) % 250; line++) {
            body.append("Line ").append(line).append(" of message ").append(number)
                    .append(": order 4711-").append(number * 1000 + line).append(", Grüße\r\n");
        }
        return ("Message-ID: <crash-" + number + "@supplier.example>\r\n"
                + "From: Supplier <billing@supplier.example>\r\n"
                + "To: " + ADDRESS + "\r\n"
                + "Subject: Crash test message " + number + "\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body).getBytes(StandardCharsets.UTF_8);
    }
}
