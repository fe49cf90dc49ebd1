package dev.exchangemaildaemon.delivery;

/**
 * What a target answered to one message.
 *
 * @param detail what the target said (a command's last lines on stderr, the LMTP reply), for the log and health
 */
public record Handover(Verdict verdict, String detail) {

    public enum Verdict {
        /** The target has the message: record it, then do the server action. */
        ACCEPTED,
        /** The target asks to try again later (EX_TEMPFAIL, LMTP 4xx): the message stays unread, no harm counted. */
        TRY_AGAIN,
        /** The target refused the message (another exit status, LMTP 5xx, a timeout): a failed attempt at it. */
        REFUSED
    }

    public static Handover accepted() {
        return new Handover(Verdict.ACCEPTED, "");
    }
}
