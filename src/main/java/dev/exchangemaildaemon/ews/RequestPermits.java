package dev.exchangemaildaemon.ews;

import java.util.concurrent.Semaphore;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.TransportFailures;

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
}
