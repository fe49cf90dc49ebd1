package dev.exchangemaildaemon.ews;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Caps the EWS requests in flight across all mailboxes ({@code mail.exchange.max-concurrent-requests}). Fair, so
 * that a mailbox with many requests does not starve the others.
 */
final class RequestPermits {

    /** Held from sending a request to reading the last byte of its answer. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore permits;

    RequestPermits(int max) {
        if (max < 1) {
            // no permit would ever be free: every poll would hang
            throw new IllegalArgumentException("mail.exchange.max-concurrent-requests must be at least 1: " + max);
        }
        this.permits = new Semaphore(max, true);
    }

    Permit acquire() throws MailboxException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            throw TransportFailures.interrupted(e);
        }
        return permits::release;
    }

    /**
     * A permit if one is free now and no one is waiting in line for one; never waits. An interrupt leaves the
     * thread interrupted and takes no permit.
     */
    Optional<Permit> tryAcquire() {
        try {
            // the untimed tryAcquire would take a permit from under the requests waiting in line
            return permits.tryAcquire(0, TimeUnit.SECONDS) ? Optional.of(permits::release) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
