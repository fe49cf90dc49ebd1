package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.TransportFailures;

class EwsRetriesTest {

    private final Judged policy = new Judged(EwsRetries.standard());

    /** The policy asked about a failure as the EWS client judges it. */
    private record Judged(RetryPolicy policy) {
        Optional<Duration> delay(MailboxException failure, int attempt, boolean repeatable) {
            return policy.delay(EwsRetries.judge(failure), attempt, repeatable);
        }
    }

    @Test
    void onlyTransientFailuresOfTheServerOrTheNetworkAreRetried() {
        assertEquals(Optional.empty(), policy.delay(failure("ErrorNonExistentMailbox", Kind.PERMANENT), 1, true));
        assertEquals(Optional.empty(), policy.delay(failure("HTTP 401", Kind.AUTH), 1, true));
        assertEquals(Optional.empty(), policy.delay(failure(MailboxException.LOCAL_DELIVERY, Kind.TRANSIENT), 1, true));
        assertEquals(Optional.empty(), policy.delay(failure(TransportFailures.INTERRUPTED, Kind.TRANSIENT), 1, true));
        for (String code : new String[] { "CONNECTION", "TIMEOUT", TransportFailures.BAD_RESPONSE, "HTTP 502",
                "ErrorInternalServerTransientError" }) {
            assertTrue(policy.delay(failure(code, Kind.TRANSIENT), 1, true).isPresent(), code);
        }
    }

    @Test
    void theServersBackOffIsHonouredUpToAMinute() {
        assertEquals(Optional.of(Duration.ofMillis(1234)), policy.delay(busy(Duration.ofMillis(1234)), 1, true));
        assertEquals(Optional.of(Duration.ofSeconds(60)), policy.delay(busy(Duration.ofSeconds(60)), 4, true));
        assertEquals(Optional.empty(), policy.delay(busy(Duration.ofMillis(60_001)), 1, true));
    }

    @Test
    void atMostFiveAttempts() {
        assertTrue(policy.delay(busy(Duration.ofSeconds(1)), EwsRetries.MAX_ATTEMPTS - 1, true).isPresent());
        assertEquals(Optional.empty(), policy.delay(busy(Duration.ofSeconds(1)), EwsRetries.MAX_ATTEMPTS, true));
        assertEquals(Optional.empty(), policy.delay(failure("CONNECTION", Kind.TRANSIENT), EwsRetries.MAX_ATTEMPTS,
                true));
    }

    @Test
    void otherWaitsDoubleFromOneSecondUpToThirtyWithJitterOfUpToHalf() {
        Judged patient = new Judged(EwsRetries.policy(20, new Random(3)));
        for (int round = 0; round < 50; round++) {
            for (int attempt = 1; attempt < 20; attempt++) {
                long ceiling = Math.min(30_000, 1000L << Math.min(attempt - 1, 20));
                long wait = patient.delay(failure("HTTP 500", Kind.TRANSIENT), attempt, true).orElseThrow().toMillis();
                assertTrue(wait >= ceiling / 2 && wait <= ceiling, "attempt " + attempt + ": " + wait + " ms");
            }
        }
    }

    @Test
    void aRequestThatMustNotRunTwiceIsRetriedOnlyWhenThrottled() {
        assertTrue(policy.delay(busy(Duration.ofSeconds(2)), 1, false).isPresent());
        assertTrue(policy.delay(failure("HTTP 503", Kind.TRANSIENT), 1, false).isPresent());
        assertTrue(policy.delay(failure("HTTP 429", Kind.TRANSIENT), 1, false).isPresent());
        for (String code : new String[] { "CONNECTION", "TIMEOUT", TransportFailures.BAD_RESPONSE, "HTTP 500" }) {
            assertEquals(Optional.empty(), policy.delay(failure(code, Kind.TRANSIENT), 1, false), code);
        }
    }

    private static MailboxException busy(Duration backOff) {
        return new MailboxException("ErrorServerBusy", Kind.TRANSIENT, "busy", backOff, null);
    }

    private static MailboxException failure(String code, Kind kind) {
        return new MailboxException(code, kind, "failed");
    }
}
