package dev.exchangemaildaemon.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All mailboxes by SMTP address, compared without case as Exchange compares them. Callers hold this store's
 * monitor while they read or change a mailbox, so that a request sees and leaves every mailbox consistent.
 */
public final class MailStore {

    private final Map<String, SimMailbox> mailboxes = new ConcurrentHashMap<>();

    void add(String address) {
        mailboxes.putIfAbsent(key(address), new SimMailbox(address));
    }

    public Optional<SimMailbox> mailbox(String address) {
        return Optional.ofNullable(mailboxes.get(key(address)));
    }

    SimMailbox existing(String address) {
        return mailbox(address).orElseThrow(() -> new IllegalArgumentException("no mailbox " + address));
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
