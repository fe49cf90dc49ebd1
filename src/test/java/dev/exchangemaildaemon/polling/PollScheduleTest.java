package dev.exchangemaildaemon.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.MailboxConfig;

/** When a mailbox is next due: one interval after its last poll started, however long that poll took. */
class PollScheduleTest {

    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final PollOutcome NOTHING = new PollOutcome(0, 0, 0, 0, 0, Optional.empty());

    private static PolledMailbox dueAt(Instant due) {
        return new PolledMailbox(new MailboxConfig() {
            @Override
            public String address() {
                return "orders@contoso.com";
            }

            @Override
            public Optional<String> username() {
                return Optional.empty();
            }

            @Override
            public Optional<String> password() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> types() {
                return Optional.empty();
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String folder() {
                return "inbox";
            }

            @Override
            public Optional<MailConfig.Target> target() {
                return Optional.empty();
            }

            @Override
            public Optional<List<MailConfig.FolderConfig>> folders() {
                return Optional.empty();
            }
        }, due);
    }

    private static Instant nextDue(PolledMailbox mailbox) {
        assertFalse(mailbox.isDue(T0.plusSeconds(1)), "not due right after a poll");
        Instant at = T0;
        while (!mailbox.isDue(at)) {
            at = at.plusSeconds(1);
            assertTrue(at.isBefore(T0.plus(Duration.ofDays(2))), "not due within two days");
        }
        return at;
    }

    @Test
    void aLongPollDoesNotPushTheNextOneOut() {
        PolledMailbox mailbox = dueAt(T0);
        mailbox.succeeded(T0.plusSeconds(2), T0.plusSeconds(40), NOTHING, INTERVAL);
        assertEquals(T0.plusSeconds(62), nextDue(mailbox));
    }

    @Test
    void mailboxesDueTogetherStaySpreadAsTheirPollsRan() {
        PolledMailbox first = dueAt(T0);
        PolledMailbox last = dueAt(T0);
        first.succeeded(T0, T0.plusSeconds(1), NOTHING, INTERVAL);
        last.succeeded(T0.plusSeconds(30), T0.plusSeconds(31), NOTHING, INTERVAL);
        assertEquals(T0.plusSeconds(60), nextDue(first));
        assertEquals(T0.plusSeconds(90), nextDue(last));
    }

    @Test
    void aPollStartedLateCountsFromItsStart() {
        PolledMailbox mailbox = dueAt(T0);
        mailbox.succeeded(T0.plusSeconds(150), T0.plusSeconds(151), NOTHING, INTERVAL);
        assertEquals(T0.plusSeconds(210), nextDue(mailbox));
    }

    @Test
    void aPollAskedForBeforeItWasDueCountsFromItsStart() {
        PolledMailbox mailbox = dueAt(T0.plusSeconds(30));
        mailbox.succeeded(T0.plusSeconds(10), T0.plusSeconds(12), NOTHING, INTERVAL);
        assertEquals(T0.plusSeconds(70), nextDue(mailbox));
    }

    @Test
    void messagesRefusedWithALongBackOffHoldTheNextPollBackThatLongUpToOneInterval() {
        Duration interval = Duration.ofMinutes(5);
        PolledMailbox mailbox = dueAt(T0);
        PollOutcome throttled = new PollOutcome(10, 4, 4_000, 4, 6, Optional.of(Duration.ofSeconds(420)));
        mailbox.succeeded(T0, T0.plusSeconds(5), throttled, interval);
        assertEquals(T0.plusSeconds(305), nextDue(mailbox), "5 s poll, then one interval, not 7 minutes");

        PollOutcome briefly = new PollOutcome(10, 4, 4_000, 4, 6, Optional.of(Duration.ofSeconds(10)));
        mailbox.succeeded(T0.plusSeconds(305), T0.plusSeconds(306), briefly, interval);
        assertEquals(T0.plusSeconds(605), nextDue(mailbox));

        PollOutcome alittleLonger = new PollOutcome(10, 4, 4_000, 4, 6, Optional.of(Duration.ofSeconds(290)));
        mailbox.succeeded(T0.plusSeconds(605), T0.plusSeconds(620), alittleLonger, interval);
        assertEquals(T0.plusSeconds(910), nextDue(mailbox), "honoured: it ends after the interval would");
    }

    @Test
    void aServerBackOffOfYearsHoldsTheMailboxBackOneIntervalAtMostAnHour() {
        Duration years = Duration.ofMillis(999_999_999_999_999_999L); // BackOffMilliseconds' 18 digits
        PolledMailbox failing = dueAt(T0);
        failing.failed(T0, "ErrorServerBusy", INTERVAL, years);
        assertEquals(T0.plus(INTERVAL), nextDue(failing));

        PolledMailbox refusedSome = dueAt(T0);
        refusedSome.succeeded(T0, T0.plusSeconds(5), new PollOutcome(2, 1, 100, 1, 1, Optional.of(years)), INTERVAL);
        assertEquals(T0.plusSeconds(65), nextDue(refusedSome));

        PolledMailbox dailyFailing = dueAt(T0);
        dailyFailing.failed(T0, "ErrorServerBusy", Duration.ofDays(1), years);
        assertEquals(T0.plus(Duration.ofHours(1)), nextDue(dailyFailing), "an hour, though the interval is a day");
    }

    @Test
    void latenessIsHowLongADueMailboxHasWaited() {
        PolledMailbox mailbox = dueAt(T0);
        assertEquals(Duration.ZERO, mailbox.lateness(T0.minusSeconds(5)));
        assertEquals(Duration.ofSeconds(45), mailbox.lateness(T0.plusSeconds(45)));
        assertTrue(mailbox.isDue(T0));
    }
}
