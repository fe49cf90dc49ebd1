package dev.exchangemaildaemon.simulator;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Addresses Exchange refuses to send to, answering ErrorMailRecipientNotFound for a message that names one. */
public final class RejectedRecipients {

    private final Set<String> addresses = ConcurrentHashMap.newKeySet();

    void reject(String address) {
        addresses.add(address.toLowerCase(Locale.ROOT));
    }

    public boolean rejects(String address) {
        return addresses.contains(address.toLowerCase(Locale.ROOT));
    }

    void clear() {
        addresses.clear();
    }
}
