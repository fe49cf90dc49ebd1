package dev.exchangemaildaemon.polling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * The messages of one mailbox whose fetch keeps failing. After {@link #ATTEMPTS} failed attempts a message is set
 * aside: left unread on the server, no longer fetched first in line (where it would stop every message after it
 * on each poll), and tried again only every {@link #RETRY_EVERY}th poll, after the others. Kept in memory, by
 * the server's item id (messages sharing a delivery key fail each on its own): a restart gives each message its
 * attempts again. Used by one poll at a time.
 */
final class SetAside {

    static final int ATTEMPTS = 3;
    static final int RETRY_EVERY = 4;

    /** A message that failed: its name for people (Message-ID, else item id), its failed attempts, the last error. */
    record Failing(String name, int attempts, String lastError) {
    }

    private final Map<String, Failing> failing = new LinkedHashMap<>();
    private volatile List<String> names = List.of();
    private int polls;

    /**
     * A poll starts with these messages unread: those no longer among them are forgotten. True when this poll is
     * one that tries the messages set aside again.
     */
    boolean pollStarted(Set<String> unreadIds) {
        failing.keySet().retainAll(unreadIds);
        publish();
        return polls++ % RETRY_EVERY == RETRY_EVERY - 1;
    }

    boolean isSetAside(String id) {
        Failing entry = failing.get(id);
        return entry != null && entry.attempts() >= ATTEMPTS;
    }

    /**
     * Counts a failed attempt at fetching that message; true when this one set it aside (not when it was
     * already).
     */
    boolean failed(String id, String name, MailboxException error) {
        Failing before = failing.get(id);
        int attempts = before == null ? 1 : before.attempts() + 1;
        failing.put(id, new Failing(name, attempts, error.getMessage()));
        publish();
        return attempts == ATTEMPTS;
    }

    /** The message reached the Maildir; true if it had been set aside. */
    boolean delivered(String id) {
        boolean wasSetAside = isSetAside(id);
        if (failing.remove(id) != null) {
            publish();
        }
        return wasSetAside;
    }

    /** The names of the messages set aside now, for health and metrics; safe to read from any thread. */
    List<String> names() {
        return names;
    }

    /**
     * Whether a failure of the whole fetch is the message's own, fetched when it happened: a transport failure
     * (dropped, stalled, garbled), not throttling, a refused token, a local disk, nor an interruption.
     */
    static boolean blamesTheMessage(MailboxException error) {
        return error.kind() == MailboxException.Kind.TRANSIENT && error.backOff().isEmpty()
                && !MailboxException.LOCAL_DELIVERY.equals(error.code())
                && !TransportFailures.INTERRUPTED.equals(error.code());
    }

    private void publish() {
        names = failing.values().stream().filter(entry -> entry.attempts() >= ATTEMPTS).map(Failing::name).toList();
    }
}
