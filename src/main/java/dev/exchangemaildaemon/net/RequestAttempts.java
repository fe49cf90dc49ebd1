package dev.exchangemaildaemon.net;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Runs one request through its attempts, the same for the EWS client, the Graph client and the setup check: an
 * attempt, judged by its protocol ({@link FailedAttempt}); a refused token renewed once per request, the attempt
 * then made again at once; otherwise a wait as the {@link RetryPolicy} says (the server's own back-off honoured up
 * to its cap), slept by an injected {@link Sleeper} and held to the policy's deadline on an injected {@link Clock}.
 * What an attempt is (the HTTP exchange, permits, requests sent ahead) stays with each protocol.
 */
public final class RequestAttempts {

    /** One attempt of the request. */
    @FunctionalInterface
    public interface Attempt<T> {

        /** @param number the attempt's number, from 1; the attempt made again with a renewed token keeps it */
        T run(int number) throws FailedAttempt;
    }

    /** Told of each wait before another attempt (for metrics and logs). */
    @FunctionalInterface
    public interface RetryListener {

        RetryListener NONE = (operation, failure, wait) -> {
        };

        void retrying(String operation, MailboxException failure, Duration wait);
    }

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RetryListener listener;

    public RequestAttempts(RetryPolicy policy, Sleeper sleeper, Clock clock, RetryListener listener) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Makes the attempts; the result of the first that succeeds, else the last failure's error, marked
     * {@link MailboxException#mayHaveRun()} when that attempt may have been carried out (so that a sender can look
     * whether it was).
     *
     * @param repeatable false for a request that must not run twice (a send)
     * @param tokens where a refused token is reported, so that the next {@code get()} gives a new one
     */
    public <T> T run(String operation, boolean repeatable, AccessTokens tokens, Attempt<T> attempt)
            throws MailboxException {
        Optional<Instant> deadline = policy.within().map(clock.instant()::plus);
        boolean renewed = false;
        for (int number = 1;; number++) {
            try {
                return attempt.run(number);
            } catch (FailedAttempt failed) {
                if (failed.next() == FailedAttempt.Next.RENEW_TOKEN && !renewed) {
                    // revoked, or expired early: a new token, and the same attempt again; once, or a server that
                    // refuses every token would be asked forever
                    tokens.refused(failed.refusedToken());
                    renewed = true;
                    number--;
                    continue;
                }
                Duration wait = policy.delay(failed, number, repeatable)
                        .filter(delay -> deadline.isEmpty() || !clock.instant().plus(delay).isAfter(deadline.get()))
                        .orElseThrow(() -> mayHaveRun(failed) ? failed.error().mayHaveRun() : failed.error());
                listener.retrying(operation, failed.error(), wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    throw TransportFailures.interrupted(e);
                }
            }
        }
    }

    /**
     * Whether the failed request may have been carried out, as its protocol judged (a lost answer, a 5xx), unless no
     * connection was ever made: the protocols judge every transport failure alike for their retries, but a request
     * that never left this host was not carried out, and its caller need not look whether it was.
     */
    private static boolean mayHaveRun(FailedAttempt failed) {
        return failed.next() == FailedAttempt.Next.RETRY_IF_REPEATABLE
                && !TransportFailures.neverConnected(failed.error());
    }

    /** The bearer token for the next request; a failure to get one is the request's failure. */
    public static String token(AccessTokens tokens) throws MailboxException {
        try {
            return tokens.get();
        } catch (TokenException e) {
            throw TransportFailures.token(e);
        }
    }
}
