package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertAllRead;
import static dev.exchangemaildaemon.packaged.DeliveryAssertions.assertTmpEmpty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TargetFixture;
import dev.exchangemaildaemon.testing.TargetKind;

/**
 * A 150 MB message through a daemon with a 64 MB heap: it is streamed from the response into the Maildir, never
 * held whole, so it arrives byte for byte and the daemon lives on. Prints the daemon's peak resident set size. The
 * same through the command target (the import script, from the spool on its standard input) and to Dovecot over
 * LMTP (streamed from the spool into DATA), each over one of the transports.
 */
class LargeMessageIT extends AgainstSimulator {

    private static final String ADDRESS = SimulatorResource.INVOICES;
    private static final long MESSAGE_BYTES = 150L * 1024 * 1024;

    LargeMessageIT() {
        super(ADDRESS);
    }

    @ParameterizedTest(name = "over {0} into {1}")
    @CsvSource({ "ews, MAILDIR", "graph, MAILDIR", "ews, COMMAND", "graph, LMTP" })
    void a150MbMessageArrivesByteForByteThroughA64MbHeap(String api, TargetKind kind) throws IOException {
        LargeMessage message = LargeMessage.of(ADDRESS, MESSAGE_BYTES, 150);
        simulator.deliver(ADDRESS, "inbox", message.mime(), false);
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS, api);
        List<String> options = new ArrayList<>(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"));

        // An OutOfMemoryError anywhere ends the process, so that "did not die" covers every thread, not just polls.
        try (TargetFixture target = TargetFixture.start(kind, dir);
                DaemonProcess daemon = DaemonProcess.start(setup, withTarget(options, target))) {
            long started = System.nanoTime();
            daemon.awaitReady(Duration.ofSeconds(90));
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

            List<String> delivered = setup.files(ADDRESS, "new");
            assertEquals(1, delivered.size(), "one file in new/: " + delivered);
            Path file = setup.maildirFolder(ADDRESS, "new").resolve(delivered.get(0));
            assertEquals(target.addedInFront() + message.mime().length, size(file), "size of " + file);
            assertEquals(message.sha256(), LargeMessage.sha256(file, target.addedInFront()), "SHA-256 of " + file);
            assertTmpEmpty(setup, ADDRESS);
            assertAllRead(simulator, ADDRESS);

            assertTrue(daemon.isAlive(), "the daemon is still running");
            assertEquals(200, daemon.health("live").status(), "live after the delivery");
            long peakRssKib = daemon.peakRssKib();
            System.out.printf("LargeMessageIT: %d bytes delivered with -Xmx64m, started to ready in %d s,"
                    + " daemon peak RSS (VmHWM) %d KiB = %.0f MiB%n", message.mime().length, seconds, peakRssKib,
                    peakRssKib / 1024.0);

            DaemonProcess.Exit exit = daemon.terminate(Duration.ofSeconds(30));
            assertTrue(exit.code() == 0 || exit.code() == 143, "exit code after SIGTERM: " + exit.code());
            System.out.printf("LargeMessageIT: SIGTERM -> exit %d after %d ms%n", exit.code(), exit.after().toMillis());
        }
    }

    private static String[] withTarget(List<String> options, TargetFixture target) throws IOException {
        options.addAll(List.of(target.daemonOptions(ADDRESS)));
        return options.toArray(String[]::new);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
