package dev.exchangemaildaemon.packaged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * The state directory of a running packaged daemon belongs to it alone: a second daemon started on it (a
 * replacement pod while the old one terminates, a unit started twice) exits at once with an error naming the lock
 * file and the holder's pid, and the admin commands run beside it touch neither its Maildir nor its record.
 */
class StateDirectoryIT {

    private static final String ADDRESS = SimulatorResource.INVOICES;

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);

    @TempDir
    Path dir;

    @AfterEach
    void stopSimulator() {
        simulator.stop();
    }

    @Test
    void aSecondDaemonOnTheSameStateExitsNamingTheHolder() throws Exception {
        simulator.addMailbox(ADDRESS);
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS);
        try (DaemonProcess first = DaemonProcess.start(setup)) {
            first.awaitReady(Duration.ofSeconds(60));
            DaemonSetup second = new DaemonSetup(setup.config(), setup.maildir(), setup.stateDir(),
                    dir.resolve("second.log"));
            try (DaemonProcess refused = DaemonProcess.start(second)) {
                DaemonProcess.Exit exit = refused.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(0, exit.code(), refused.logTail());
                String log = Files.readString(second.log());
                assertTrue(log.contains(setup.stateDir().resolve("exchange-mail-daemon.lock").toString()), log);
                assertTrue(log.contains("pid " + first.pid()), log);
            }
            assertTrue(first.isAlive(), "the first daemon goes on");
            first.awaitReady(Duration.ofSeconds(30));
        }
    }

    @Test
    void commandsBesideTheDaemonTouchNeitherItsMaildirNorItsRecord() throws Exception {
        simulator.addMailbox(ADDRESS);
        simulator.addMailbox(SimulatorResource.ORDERS);
        simulator.seedSampleMessages(ADDRESS);
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS);
        // test-send sends as this one, to a mailbox the daemon does not poll (its record then stays as it is)
        Files.writeString(setup.config(), "  send:\n    sender: " + ADDRESS + "\n", StandardOpenOption.APPEND);
        try (DaemonProcess daemon = DaemonProcess.start(setup)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            // a message the daemon is writing right now, and its record as it stands
            Path inProgress = setup.maildirFolder(ADDRESS, "tmp")
                    .resolve("1700000000.being-written.host.exchange-mail-daemon.1700000000000-1.1");
            Files.writeString(inProgress, "half a message");
            Path record = setup.stateDir().resolve(ADDRESS + ".delivered");
            byte[] recorded = Files.readAllBytes(record);

            assertEquals(0, DaemonProcess.run(setup, Duration.ofMinutes(2), "check").exitCode(), "check passes");
            assertEquals(0, DaemonProcess.run(setup, Duration.ofMinutes(2), "test-send", "--to",
                    SimulatorResource.ORDERS).exitCode(), "test-send passes");

            assertTrue(Files.exists(inProgress), "the daemon's file in tmp/ is still there");
            assertArrayEquals(recorded, Files.readAllBytes(record), "the record is untouched");
            assertTrue(daemon.isAlive());
        }
    }
}
