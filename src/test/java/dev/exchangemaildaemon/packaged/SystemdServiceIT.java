package dev.exchangemaildaemon.packaged;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.systemd.NotifySocket;

/**
 * The packaged daemon as a {@code Type=notify} service, with the environment systemd gives it: a real notify socket
 * and stdout as the journal stream. READY=1 comes once the poller runs, never from a daemon that refuses its
 * configuration (so {@code systemctl start} fails at once), and each line carries its journald priority.
 */
class SystemdServiceIT extends AgainstSimulator {

    private static final String ADDRESS = "invoices@contoso.com";

    SystemdServiceIT() {
        super(ADDRESS);
    }

    @Test
    void readyOnceThePollerRunsAndLinesCarryTheirPriority() throws Exception {
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS);
        try (NotifySocket systemd = new NotifySocket(Files.createDirectories(dir.resolve("run")));
                DaemonProcess daemon = DaemonProcess.start(setup, systemdEnvironment(systemd, setup.log()))) {
            List<String> ready = systemd.next(Duration.ofSeconds(90));
            assertTrue(ready.contains("READY=1"), ready::toString);
            assertTrue(ready.contains("MAINPID=" + daemon.pid()), ready::toString);
            assertTrue(ready.stream().anyMatch(line -> line.startsWith("STATUS=1 mailbox(es)")), ready::toString);
            List<String> lines = Files.readAllLines(setup.log());
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("<6>") && line.contains("INFO")),
                    () -> String.join("\n", lines));
            assertFalse(lines.stream().anyMatch(line -> line.matches("^\\d{4}-\\d\\d-\\d\\d .*")),
                    () -> "a line without its priority:\n" + String.join("\n", lines));
        }
    }

    @Test
    void aBrokenConfigurationNeverSignalsReady() throws Exception {
        DaemonSetup setup = DaemonSetup.write(dir, simulator, ADDRESS);
        Files.writeString(setup.config(), Files.readString(setup.config())
                .replaceFirst("(?m)^(\\s*)poll-interval:.*$", "$1poll-interval: 0"));
        assertTrue(Files.readString(setup.config()).contains("poll-interval: 0"), "the configuration is broken");
        try (NotifySocket systemd = new NotifySocket(Files.createDirectories(dir.resolve("run")));
                DaemonProcess daemon = DaemonProcess.start(setup, systemdEnvironment(systemd, setup.log()))) {
            assertNotEquals(0, daemon.awaitExit(Duration.ofSeconds(90)).code());
            List<String> received = systemd.received();
            assertFalse(received.stream().anyMatch(message -> message.contains("READY=1")), received::toString);
            List<String> lines = Files.readAllLines(setup.log());
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("<3>") && line.contains("poll-interval")),
                    () -> "the error at priority 3 (err):\n" + String.join("\n", lines));
        }
    }

    /** As systemd sets it: NOTIFY_SOCKET, and JOURNAL_STREAM naming stdout (here the log file) by device:inode. */
    private static Map<String, String> systemdEnvironment(NotifySocket systemd, Path stdout) throws IOException {
        if (!Files.exists(stdout)) {
            Files.createFile(stdout);
        }
        return Map.of("NOTIFY_SOCKET", systemd.path(), "JOURNAL_STREAM",
                Files.getAttribute(stdout, "unix:dev") + ":" + Files.getAttribute(stdout, "unix:ino"));
    }
}
