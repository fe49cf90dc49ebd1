package dev.exchangemaildaemon.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Failures injected into mailboxes: every EWS request reaching such a mailbox fails with its response code. */
public final class MailboxFaults {

    private final Map<String, String> codes = new ConcurrentHashMap<>();

    void fail(String address, String responseCode) {
        codes.put(address.toLowerCase(Locale.ROOT), responseCode);
    }

    public Optional<String> codeFor(String address) {
        return Optional.ofNullable(codes.get(address.toLowerCase(Locale.ROOT)));
    }

    void clear() {
        codes.clear();
    }
}
