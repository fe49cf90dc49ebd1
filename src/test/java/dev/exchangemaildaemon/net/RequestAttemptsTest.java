package dev.exchangemaildaemon.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;
import dev.exchangemaildaemon.testing.MutableClock;

class RequestAttemptsTest {

    private static final RetryPolicy FOUR_ATTEMPTS = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    /** Every wait, slept by moving the clock on. */
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> retried = new ArrayList<>();
    private final Tokens tokens = new Tokens();
    /** The number of each attempt made, in order. */
    private final List<Integer> attempts = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aRefusedTokenIsRenewedAndTheSameAttemptMadeAgainAtOnce() throws Exception {
        String result = core(FOUR_ATTEMPTS).run("op", true, tokens, number -> {
            attempts.add(number);
            String token = tokens.get();
            if (token.equals("token-1")) {
                throw FailedAttempt.tokenRefused(failure("HTTP 401", Kind.AUTH, null), token);
            }
            return "done with " + token;
        });

        assertEquals("done with token-2", result);
        assertEquals(List.of("token-1"), tokens.refused);
        assertEquals(List.of(1, 1), attempts, "the renewed attempt keeps its number");
        assertEquals(List.of(), waits);
    }

    @Test
    void aTokenRefusedAgainIsReportedAndNotRenewedAgain() {
        MailboxException e = assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("op", true, tokens,
                number -> {
                    attempts.add(number);
                    if (attempts.size() > 5) {
                        throw new IllegalStateException("renews without end");
                    }
                    throw FailedAttempt.tokenRefused(failure("InvalidAuthenticationToken", Kind.AUTH, null),
                            tokens.get());
                }));

        assertEquals("InvalidAuthenticationToken", e.code());
        assertEquals(List.of("token-1"), tokens.refused);
        assertEquals(2, attempts.size());
    }

    @Test
    void onlyOneRenewalPerRequestEvenAfterARetry() {
        assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("op", true, tokens, number -> {
            attempts.add(number);
            if (attempts.size() == 2) {
                throw FailedAttempt.notRun(failure("HTTP 503", Kind.TRANSIENT, null));
            }
            throw FailedAttempt.tokenRefused(failure("HTTP 401", Kind.AUTH, null), tokens.get());
        }));

        assertEquals(List.of("token-1"), tokens.refused);
        assertEquals(List.of(1, 1, 2), attempts);
    }

    @Test
    void theServersBackOffIsHonouredAsGivenAndToldToTheListener() throws Exception {
        String result = core(FOUR_ATTEMPTS).run("op", false, tokens, number -> {
            attempts.add(number);
            if (number == 1) {
                throw FailedAttempt.notRun(failure("ErrorServerBusy", Kind.TRANSIENT, Duration.ofMillis(7300)));
            }
            return "done";
        });

        assertEquals("done", result);
        assertEquals(List.of(Duration.ofMillis(7300)), waits);
        assertEquals(List.of("op ErrorServerBusy PT7.3S"), retried);
    }

    @Test
    void aBackOffOverTheCapIsNotSleptThroughButReportedWithIt() {
        MailboxException e = assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("op", true, tokens,
                number -> {
                    attempts.add(number);
                    throw FailedAttempt.notRun(failure("HTTP 429", Kind.TRANSIENT, Duration.ofSeconds(61)));
                }));

        assertEquals(Optional.of(Duration.ofSeconds(61)), e.backOff());
        assertEquals(List.of(1), attempts);
        assertEquals(List.of(), waits);
    }

    @Test
    void aRequestThatMayHaveRunIsRepeatedOnlyWhenRepeatable() throws Exception {
        assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("send", false, tokens, number -> {
            attempts.add(number);
            throw FailedAttempt.mayHaveRun(failure("CONNECTION", Kind.TRANSIENT, null));
        }));
        assertEquals(List.of(1), attempts);

        String read = core(FOUR_ATTEMPTS).run("read", true, tokens, number -> {
            if (number == 1) {
                throw FailedAttempt.mayHaveRun(failure("CONNECTION", Kind.TRANSIENT, null));
            }
            return "read";
        });
        assertEquals("read", read);
    }

    @Test
    void aFailureToGiveUpOnIsReportedAtOnce() {
        MailboxException e = assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("op", true, tokens,
                number -> {
                    attempts.add(number);
                    throw FailedAttempt.giveUp(failure("ErrorNonExistentMailbox", Kind.PERMANENT, null));
                }));

        assertEquals("ErrorNonExistentMailbox", e.code());
        assertEquals(List.of(1), attempts);
    }

    @Test
    void waitsDoubleUpToTheirCapForAtMostTheAttemptsAllowed() {
        assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("op", true, tokens, number -> {
            attempts.add(number);
            throw FailedAttempt.mayHaveRun(failure("HTTP 502", Kind.TRANSIENT, null));
        }));

        assertEquals(List.of(1, 2, 3, 4), attempts);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)), waits);
    }

    @Test
    void noWaitRunsPastTheDeadline() {
        RetryPolicy patient = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(30)).within(Duration.ofSeconds(10));
        Instant start = clock.instant();

        MailboxException e = assertThrows(MailboxException.class, () -> core(patient).run("op", true, tokens,
                number -> {
                    attempts.add(number);
                    throw FailedAttempt.mayHaveRun(failure("HTTP 403", Kind.AUTH, null));
                }));

        assertEquals("HTTP 403", e.code());
        // 2 s and 4 s fit in 10 s; the next, 8 s, would end at 14 s
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), waits);
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(start.plusSeconds(6), clock.instant());
    }

    @Test
    void anInterruptedWaitEndsTheRequest() {
        RequestAttempts interrupted = new RequestAttempts(FOUR_ATTEMPTS, wait -> {
            throw new InterruptedException();
        }, clock, RequestAttempts.RetryListener.NONE);

        MailboxException e = assertThrows(MailboxException.class, () -> interrupted.run("op", true, tokens,
                number -> {
                    attempts.add(number);
                    throw FailedAttempt.mayHaveRun(failure("CONNECTION", Kind.TRANSIENT, null));
                }));

        assertEquals(TransportFailures.INTERRUPTED, e.code());
        assertEquals(List.of(1), attempts);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    }

    /** A send that may have run is not repeated, and its caller learns that it may have gone out. */
    @Test
    void aRequestThatMayHaveRunAndIsNotRepeatedSaysSo() {
        MailboxException lost = assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("send", false,
                tokens, number -> {
                    attempts.add(number);
                    throw FailedAttempt.mayHaveRun(failure("TIMEOUT", Kind.TRANSIENT, null).in("send"));
                }));
        MailboxException refused = assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("send", false,
                tokens, number -> {
                    throw FailedAttempt.giveUp(failure("ErrorInvalidRecipients", Kind.PERMANENT, null));
                }));

        assertEquals(List.of(1), attempts, "not repeated");
        assertTrue(lost.outcomeUnknown());
        assertEquals("TIMEOUT", lost.code());
        assertTrue(lost.in("sendMime").outcomeUnknown(), "kept when the operation is named");
        assertFalse(refused.outcomeUnknown());
    }

    /** A connection refused carried nothing to the server, though the protocols judge it with the lost answers. */
    @Test
    void aRequestWhoseConnectionWasRefusedDidNotRun() {
        MailboxException refused = assertThrows(MailboxException.class, () -> core(FOUR_ATTEMPTS).run("send", false,
                tokens, number -> {
                    throw FailedAttempt.mayHaveRun(TransportFailures.connection("Exchange",
                            new ConnectException("Connection refused")));
                }));

        assertEquals(TransportFailures.CONNECTION, refused.code());
        assertFalse(refused.outcomeUnknown());
    }

    private RequestAttempts core(RetryPolicy policy) {
        return new RequestAttempts(policy, wait -> {
            waits.add(wait);
            clock.advance(wait);
        }, clock, (operation, failure, wait) -> retried.add(operation + " " + failure.code() + " " + wait));
    }

    private static MailboxException failure(String code, Kind kind, Duration backOff) {
        return new MailboxException(code, kind, "failed", backOff, null);
    }

    /** Hands out token-1, token-2 ...: a new one after each refusal. */
    private static final class Tokens implements AccessTokens {

        final List<String> refused = new ArrayList<>();

        @Override
        public String get() {
            return "token-" + (refused.size() + 1);
        }

        @Override
        public void refused(String token) {
            refused.add(token);
        }

        @Override
        public boolean appOnly() {
            return true;
        }
    }
}
