package dev.exchangemaildaemon.mailbox;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure reported by the server or met on the way to it. The code is the server's own (an EWS
 * ResponseCode such as {@code ErrorNonExistentMailbox}, or {@code HTTP 401}), so it can be looked up.
 */
public class MailboxException extends Exception {

    public enum Kind {
        /** Worth retrying later: throttling, timeouts, server busy, connection trouble. */
        TRANSIENT,
        /** The token was refused or lacks a permission. */
        AUTH,
        /** Retrying will not help until someone changes something. */
        PERMANENT
    }

    /** The code of a failure on our side while taking a message: the consumer's IOException is the cause. */
    public static final String LOCAL_DELIVERY = "LOCAL_DELIVERY";

    private final String code;
    private final String detail;
    private final Kind kind;
    private final Duration backOff;
    private final boolean mayHaveRun;

    public MailboxException(String code, Kind kind, String message) {
        this(code, kind, message, null, null);
    }

    public MailboxException(String code, Kind kind, String message, Duration backOff, Throwable cause) {
        this(code, kind, message, backOff, cause, false);
    }

    private MailboxException(String code, Kind kind, String message, Duration backOff, Throwable cause,
            boolean mayHaveRun) {
        super(code + ": " + message, cause);
        this.code = code;
        this.detail = message;
        this.kind = kind;
        this.backOff = backOff;
        this.mayHaveRun = mayHaveRun;
    }

    public String code() {
        return code;
    }

    /** The same failure, saying in which operation it happened (for the log line and the admin). */
    public MailboxException in(String operation) {
        MailboxException named = new MailboxException(code, kind, operation + ": " + detail, backOff, getCause(),
                mayHaveRun);
        named.setStackTrace(getStackTrace());
        return named;
    }

    /**
     * The same failure of a request the server may have carried out all the same (its answer lost, a timeout after
     * the request went out, a 5xx): a send that failed so may have gone out.
     */
    public MailboxException mayHaveRun() {
        MailboxException uncertain = new MailboxException(code, kind, detail, backOff, getCause(), true);
        uncertain.setStackTrace(getStackTrace());
        return uncertain;
    }

    /** Whether the request that failed may have been carried out (see {@link #mayHaveRun()}). */
    public boolean outcomeUnknown() {
        return mayHaveRun;
    }

    /** The message without the code in front. */
    public String detail() {
        return detail;
    }

    public Kind kind() {
        return kind;
    }

    /** How long the server asked us to wait before the next request, if it said. */
    public Optional<Duration> backOff() {
        return Optional.ofNullable(backOff);
    }
}
