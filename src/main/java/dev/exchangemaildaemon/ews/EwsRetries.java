package dev.exchangemaildaemon.ews;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.FailedAttempt;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * How EWS requests are retried. Only TRANSIENT failures are: a wait the server asked for (ErrorServerBusy's
 * BackOffMilliseconds, Retry-After of HTTP 429 and 503) is honoured as given, up to {@link #MAX_SERVER_BACK_OFF};
 * any other transient failure (5xx, dropped connection, truncated answer, timeout) waits 1 s, 2 s, 4 s ... up to
 * 30 s, each shortened at random by up to half. A request gets at most {@link #MAX_ATTEMPTS} attempts.
 */
final class EwsRetries {

    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration MAX_SERVER_BACK_OFF = Duration.ofSeconds(60);

    /** Throttling answers: the server refused the request before running it, so even a send may repeat it. */
    private static final Set<String> REFUSED_UNRUN = Set.of("ErrorServerBusy", "HTTP 429", "HTTP 503");

    /** Transient, but not the server's: another attempt at the same request cannot help. */
    private static final Set<String> LOCAL = Set.of(MailboxException.LOCAL_DELIVERY, TransportFailures.INTERRUPTED);

    private EwsRetries() {
    }

    static RetryPolicy standard() {
        return policy(MAX_ATTEMPTS, new Random()); // Random, unlike the newer generators, is thread-safe
    }

    static RetryPolicy policy(int maxAttempts, RandomGenerator jitter) {
        return new RetryPolicy(maxAttempts, FIRST_DELAY, MAX_DELAY, MAX_SERVER_BACK_OFF).withJitter(jitter);
    }

    /** Whether another attempt may help after an attempt failed thus (a refused token aside). */
    static FailedAttempt judge(MailboxException failure) {
        if (failure.kind() != MailboxException.Kind.TRANSIENT || LOCAL.contains(failure.code())) {
            return FailedAttempt.giveUp(failure);
        }
        return REFUSED_UNRUN.contains(failure.code()) ? FailedAttempt.notRun(failure)
                : FailedAttempt.mayHaveRun(failure);
    }
}
