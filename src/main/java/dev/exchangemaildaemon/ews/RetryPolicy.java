package dev.exchangemaildaemon.ews;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * When a failed EWS request is worth another attempt, and after how long. Only TRANSIENT failures are retried: a
 * wait the server asked for (ErrorServerBusy's BackOffMilliseconds, Retry-After of HTTP 429 and 503) is honoured
 * as given; any other transient failure (5xx, dropped connection, truncated answer, timeout) waits 1 s, 2 s,
 * 4 s ... up to 30 s, each shortened at random by up to half so that mailboxes failing together do not come back
 * together. A request gets at most {@link #MAX_ATTEMPTS} attempts, and a server back-off over
 * {@link #MAX_SERVER_BACK_OFF} is not slept through: the failure, which carries it, goes to the poller, which
 * backs the mailbox off without holding a worker.
 *
 * <p>Hand-written rather than SmallRye Fault Tolerance's {@code @Retry}, whose delay is fixed per method and cannot
 * follow a back-off that the server states in each answer.
 */
final class RetryPolicy {

    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration MAX_SERVER_BACK_OFF = Duration.ofSeconds(60);

    /** Throttling answers: the server refused the request before running it, so even a send may repeat it. */
    private static final Set<String> REFUSED_UNRUN = Set.of("ErrorServerBusy", "HTTP 429", "HTTP 503");

    /** Transient, but not the server's: another attempt at the same request cannot help. */
    private static final Set<String> LOCAL = Set.of(MailboxException.LOCAL_DELIVERY, TransportFailures.INTERRUPTED);

    private final int maxAttempts;
    private final RandomGenerator random;

    RetryPolicy(int maxAttempts, RandomGenerator random) {
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    static RetryPolicy standard() {
        return new RetryPolicy(MAX_ATTEMPTS, new Random()); // Random, unlike the newer generators, is thread-safe
    }

    /**
     * How long to wait before the next attempt, after attempt number {@code attempt} (from 1) failed thus; empty
     * when the failure is to be thrown.
     *
     * @param repeatable false for a request that must not run twice (a send): then only a throttling answer,
     *        which guarantees it did not run, is retried
     */
    Optional<Duration> delay(MailboxException failure, int attempt, boolean repeatable) {
        if (failure.kind() != MailboxException.Kind.TRANSIENT || LOCAL.contains(failure.code())
                || attempt >= maxAttempts || !repeatable && !REFUSED_UNRUN.contains(failure.code())) {
            return Optional.empty();
        }
        if (failure.backOff().isPresent()) {
            Duration asked = failure.backOff().get();
            return asked.compareTo(MAX_SERVER_BACK_OFF) > 0 ? Optional.empty() : Optional.of(asked);
        }
        long ceiling = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << Math.min(attempt - 1, 20));
        return Optional.of(Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1)));
    }
}
