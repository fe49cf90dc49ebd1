package dev.exchangemaildaemon.graph;

import java.time.Duration;

/**
 * How often one request is tried when Graph answers with a transient fault, and how long the client waits in
 * between: Retry-After when Graph says, else {@code firstDelay} doubling. A wait longer than {@code maxWait} is
 * not waited out here: the failure goes to the caller with its back-off, and the poller waits.
 */
record Retries(int attempts, Duration firstDelay, Duration maxWait) {

    static final Retries DEFAULT = new Retries(3, Duration.ofMillis(500), Duration.ofSeconds(10));

    Duration delay(int failedAttempts) {
        return firstDelay.multipliedBy(1L << Math.min(failedAttempts - 1, 10));
    }
}
