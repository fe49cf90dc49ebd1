package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertAllRead;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertEachDeliveredOnce;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertNothingPartialOrTwice;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertTmpEmpty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * SIGTERM while a delivery is under way: the daemon exits within a bounded time with 0 or 143, leaves nothing
 * partial in new/, and once restarted delivers every message exactly once with nothing left in tmp/.
 */
class ShutdownIT extends AgainstSimulator {

    private static final String ADDRESS = SimulatorResource.INVOICES;
    /** What the daemon may take to stop; it waits 20 s for a running poll before interrupting it. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    ShutdownIT() {
        super(ADDRESS);
    }

    @Test
    void sigtermWhileTheServerHoldsBackTheMessagesStopsWithinTheGraceTime() {
        List<byte[]> seeded = simulator.seedSampleMessages(ADDRESS);
        // far longer than the daemon's grace: it has to give up the fetch, not wait it out
        simulator.ewsFault(HttpFault.delay(Duration.ofMinutes(5)).operation("GetItem"));
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS);

        try (DaemonProcess daemon = DaemonProcess.start(setup)) {
            daemon.await("the daemon asks for the messages", Duration.ofSeconds(60), () -> requests("GetItem") > 0);
            DaemonProcess.Exit exit = daemon.terminate(STOP_WITHIN);
            System.out.printf("ShutdownIT: SIGTERM during a hanging GetItem -> exit %d after %d ms%n", exit.code(),
                    exit.after().toMillis());
            assertStoppedCleanly(exit, daemon);
        }
        assertEquals(List.of(), setup.files(ADDRESS, "new"), "new/ after a stop before any message arrived");
        assertTmpEmpty(setup, ADDRESS);

        simulator.clearFaults();
        try (DaemonProcess daemon = DaemonProcess.start(setup)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            assertEachDeliveredOnce(setup, ADDRESS, seeded);
            assertTmpEmpty(setup, ADDRESS);
            assertAllRead(simulator, ADDRESS);
        }
    }

    @Test
    void sigtermWhileALargeMessageIsWrittenLeavesNoPartialFile() {
        List<byte[]> seeded = new ArrayList<>(simulator.seedSampleMessages(ADDRESS));
        // large enough that writing it takes seconds, so that the SIGTERM lands while it is in tmp/
        LargeMessage large = LargeMessage.of(ADDRESS, 64L * 1024 * 1024, 7);
        simulator.deliver(ADDRESS, "inbox", large.mime(), false);
        seeded.add(large.mime());
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS);

        try (DaemonProcess daemon = DaemonProcess.start(setup)) {
            daemon.await("the large message is being written to tmp/", Duration.ofSeconds(60),
                    () -> !setup.files(ADDRESS, "tmp").isEmpty());
            long writtenAtSigterm = bytesInTmp(setup);
            DaemonProcess.Exit exit = daemon.terminate(STOP_WITHIN);
            System.out.printf("ShutdownIT: SIGTERM with %d of %d bytes in tmp/ -> exit %d after %d ms; new/ %d,"
                    + " tmp/ %d, %d unread on the server%n", writtenAtSigterm, large.mime().length, exit.code(),
                    exit.after().toMillis(),
                    setup.files(ADDRESS, "new").size(), setup.files(ADDRESS, "tmp").size(),
                    DeliveryAssertions.unreadOnServer(simulator, ADDRESS));
            assertStoppedCleanly(exit, daemon);
        }
        assertNothingPartialOrTwice(setup, ADDRESS, seeded);

        try (DaemonProcess daemon = DaemonProcess.start(setup)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            assertEachDeliveredOnce(setup, ADDRESS, seeded);
            assertTmpEmpty(setup, ADDRESS);
            assertAllRead(simulator, ADDRESS);
        }
    }

    private static void assertStoppedCleanly(DaemonProcess.Exit exit, DaemonProcess daemon) {
        assertTrue(exit.code() == 0 || exit.code() == 143,
                "exit code after SIGTERM: " + exit.code() + "\n" + daemon.logTail());
    }

    /** What the files in tmp/ hold so far. */
    private static long bytesInTmp(DaemonSetup setup) {
        long bytes = 0;
        for (String name : setup.files(ADDRESS, "tmp")) {
            try {
                bytes += Files.size(setup.maildirFolder(ADDRESS, "tmp").resolve(name));
            } catch (IOException renamedMeanwhile) {
                // moved into new/ since it was listed
            }
        }
        return bytes;
    }

    private int requests(String operation) {
        return simulator.ewsRequestCounts().getOrDefault(operation, 0);
    }
}
