package dev.exchangemaildaemon.net;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How often a request is tried and how long to wait in between. A wait the server asked for (EWS's
 * BackOffMilliseconds, Retry-After) is honoured as given, up to {@code maxServerBackOff}; a longer one is not slept
 * through: the failure, which carries it, goes to the caller (the poller backs the mailbox off without holding a
 * worker). Any other wait starts at {@code firstDelay} and doubles up to {@code maxDelay}, with jitter (if given)
 * shortening each at random by up to half, so that mailboxes failing together do not come back together.
 * {@code within}, if set, is a deadline for all attempts: no wait runs past it.
 *
 * <p>Hand-written rather than SmallRye Fault Tolerance's {@code @Retry}, whose delay is fixed per method and cannot
 * follow a back-off that the server states in each answer.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay, Duration maxServerBackOff,
        Optional<RandomGenerator> jitter, Optional<Duration> within) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt: " + maxAttempts);
        }
    }

    /** Without jitter and without a deadline. */
    public RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay, Duration maxServerBackOff) {
        this(maxAttempts, firstDelay, maxDelay, maxServerBackOff, Optional.empty(), Optional.empty());
    }

    /** The same, each computed wait shortened at random by up to half. */
    public RetryPolicy withJitter(RandomGenerator random) {
        return new RetryPolicy(maxAttempts, firstDelay, maxDelay, maxServerBackOff, Optional.of(random), within);
    }

    /** The same, no wait running past {@code deadline} from the first attempt. */
    public RetryPolicy within(Duration deadline) {
        return new RetryPolicy(maxAttempts, firstDelay, maxDelay, maxServerBackOff, jitter, Optional.of(deadline));
    }

    /**
     * How long to wait before the next attempt, after attempt number {@code attempt} (from 1) failed thus; empty
     * when the failure is to be reported.
     *
     * @param repeatable false for a request that must not run twice (a send): then only a failure that did not
     *        run it ({@link FailedAttempt.Next#RETRY}) is retried
     */
    public Optional<Duration> delay(FailedAttempt failed, int attempt, boolean repeatable) {
        boolean another = switch (failed.next()) {
            case RETRY -> true;
            case RETRY_IF_REPEATABLE -> repeatable;
            case RENEW_TOKEN, GIVE_UP -> false;
        };
        if (!another || attempt >= maxAttempts) {
            return Optional.empty();
        }
        Optional<Duration> asked = failed.error().backOff();
        if (asked.isPresent()) {
            return asked.filter(wait -> wait.compareTo(maxServerBackOff) <= 0);
        }
        long ceiling = Math.min(maxDelay.toMillis(), firstDelay.toMillis() << Math.min(attempt - 1, 20));
        return Optional.of(Duration.ofMillis(jitter.map(random -> ceiling / 2 + random.nextLong(ceiling / 2 + 1))
                .orElse(ceiling)));
    }
}
