package dev.exchangemaildaemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.health.PollerLiveness;
import dev.exchangemaildaemon.polling.MailboxStatus;
import dev.exchangemaildaemon.polling.PollProgress;
import dev.exchangemaildaemon.testing.MutableClock;

/** sd_notify messages as systemd receives them: through systemd-notify, on a real Unix datagram socket. */
class ServiceNotificationsTest {

    private static final Instant START = Instant.parse("2026-12-04T09:00:00Z");
    private static final Duration WATCHDOG = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(START);
    private final PollProgress progress = new PollProgress(clock);
    private final List<MailboxStatus> statuses = List.of(
            new MailboxStatus("orders@contoso.com", List.of(), Optional.of(START), Optional.of(START),
                    Optional.empty(), 4, 0, List.of()),
            new MailboxStatus("nobody@contoso.com", List.of(), Optional.of(START), Optional.empty(),
                    Optional.of("ErrorNonExistentMailbox: no such mailbox"), 0, 3, List.of()));

    @Test
    void theWatchdogIsFedOnlyWhileThePollerMakesProgress(@TempDir Path dir) throws Exception {
        try (NotifySocket systemd = new NotifySocket(dir)) {
            // a one-minute poll interval: liveness (and so the watchdog) gives up after 10 minutes without progress
            ServiceNotifications notifications = notifications(systemd);
            progress.made();
            notifications.ready(null);
            assertTrue(systemd.next(Duration.ofSeconds(30)).contains("READY=1"));

            notifications.tick();
            List<String> fed = systemd.next(Duration.ofSeconds(30));
            assertTrue(fed.contains("WATCHDOG=1"), fed::toString);
            assertTrue(fed.contains("STATUS=2 mailbox(es), 1 ok, 1 failing: nobody@contoso.com;"
                    + " last poll 2026-12-04T09:00:00Z"), fed::toString);

            clock.advance(Duration.ofSeconds(10));
            notifications.tick(); // not due: half of WatchdogSec= has not passed
            clock.advance(Duration.ofSeconds(20));
            notifications.tick();
            assertTrue(systemd.next(Duration.ofSeconds(30)).contains("WATCHDOG=1"));

            // wedged: no poll ends, no byte arrives
            clock.advance(Duration.ofMinutes(10));
            notifications.tick();
            List<String> wedged = systemd.next(Duration.ofSeconds(30));
            assertFalse(wedged.contains("WATCHDOG=1"), wedged::toString);
            assertTrue(wedged.stream().anyMatch(line -> line.startsWith("STATUS=The poller makes no progress")),
                    wedged::toString);

            progress.made();
            clock.advance(Duration.ofSeconds(30));
            notifications.tick();
            assertTrue(systemd.next(Duration.ofSeconds(30)).contains("WATCHDOG=1"));
            assertEquals(List.of(), systemd.received(), "one message per due tick, no more");
        }
    }

    @Test
    void readyAndStoppingAreSent(@TempDir Path dir) throws Exception {
        try (NotifySocket systemd = new NotifySocket(dir)) {
            ServiceNotifications notifications = notifications(systemd);
            notifications.ready(null);
            List<String> ready = systemd.next(Duration.ofSeconds(30));
            assertEquals("MAINPID=" + ProcessHandle.current().pid(), ready.get(0), "--pid names the daemon");
            assertTrue(ready.contains("READY=1"), ready::toString);
            notifications.stopping(null);
            assertTrue(systemd.next(Duration.ofSeconds(30)).contains("STOPPING=1"));
        }
    }

    @Test
    void theWatchdogIsTakenFromSystemdsEnvironmentWhenMeantForThisProcess() {
        String self = Long.toString(ProcessHandle.current().pid());
        assertEquals(Optional.of(WATCHDOG), ServiceNotifications.watchdog(
                Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", self)));
        assertEquals(Optional.of(WATCHDOG), ServiceNotifications.watchdog(Map.of("WATCHDOG_USEC", "60000000")));
        assertEquals(Optional.empty(), ServiceNotifications.watchdog(
                Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "1")));
        assertEquals(Optional.empty(), ServiceNotifications.watchdog(Map.of()));
    }

    private ServiceNotifications notifications(NotifySocket systemd) {
        return new ServiceNotifications(Optional.of(new SystemdNotify(systemd.path(), ProcessHandle.current().pid())),
                Optional.of(WATCHDOG), () -> statuses, new PollerLiveness(progress, Duration.ofMinutes(1), clock),
                clock);
    }
}
