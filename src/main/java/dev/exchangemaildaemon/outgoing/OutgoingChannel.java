package dev.exchangemaildaemon.outgoing;

/** How local software hands a message over; the label of its metrics and its health check. */
public enum OutgoingChannel {
    SMTP, PICKUP;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
