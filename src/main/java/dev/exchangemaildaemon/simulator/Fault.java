package dev.exchangemaildaemon.simulator;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One injected EWS fault: which requests it hits (by operation, mailbox and app; null matches any), for how
 * many requests or until when, and what it does to them.
 */
public final class Fault {

    private final String operation;
    private final String mailbox;
    private final String clientId;
    private final AtomicInteger remaining;
    private final Instant until;
    private final FaultAction action;

    private Fault(String operation, String mailbox, String clientId, int times, Instant until, FaultAction action) {
        this.operation = operation;
        this.mailbox = mailbox;
        this.clientId = clientId;
        this.remaining = new AtomicInteger(times);
        this.until = until;
        this.action = action;
    }

    /** Hits the next {@code times} matching requests. */
    static Fault times(int times, String operation, String mailbox, FaultAction action) {
        if (times < 1) {
            throw new IllegalArgumentException("a fault must hit at least one request: " + times);
        }
        return new Fault(operation, mailbox, null, times, Instant.MAX, action);
    }

    /** Hits every request for that mailbox until then. */
    static Fault until(Instant until, String mailbox, FaultAction action) {
        return new Fault(null, mailbox, null, Integer.MAX_VALUE, until, action);
    }

    /** Hits every request with a token issued to that app, for good. */
    static Fault forApp(String clientId, FaultAction action) {
        return new Fault(null, null, clientId, Integer.MAX_VALUE, Instant.MAX, action);
    }

    /** Whether this fault hits the request, using up one of its requests if so. */
    boolean claim(EwsCall call, Instant now) {
        return now.isBefore(until) && matches(operation, call.operation()) && matches(mailbox, call.mailbox())
                && matches(clientId, call.clientId())
                && remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    FaultAction action() {
        return action;
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equalsIgnoreCase(actual);
    }
}
