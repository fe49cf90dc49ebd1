package dev.exchangemaildaemon.simulator;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Addresses Exchange refuses to send to: those that are no SMTP address at all (ErrorInvalidRecipients), and those
 * a test made it refuse (ErrorMailRecipientNotFound). The same for EWS and Graph.
 */
public final class RejectedRecipients {

    /** An SMTP address: one {@code @}, no spaces or specials, a dotted domain. */
    private static final String ATOMS = "[^@\\s<>()\\[\\],;:\"]+";
    private static final Pattern ADDRESS = Pattern.compile(ATOMS + "@" + ATOMS + "\\.[A-Za-z]{2,}");

    private final Set<String> addresses = ConcurrentHashMap.newKeySet();

    void reject(String address) {
        addresses.add(address.toLowerCase(Locale.ROOT));
    }

    /** Whether it is an SMTP address at all. */
    public static boolean wellFormed(String address) {
        return ADDRESS.matcher(address).matches();
    }

    public boolean rejects(String address) {
        return addresses.contains(address.toLowerCase(Locale.ROOT));
    }

    void clear() {
        addresses.clear();
    }
}
