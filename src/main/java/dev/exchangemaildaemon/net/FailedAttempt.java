package dev.exchangemaildaemon.net;

import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * One attempt's failure as its protocol judged it: the error to report, and what another attempt could do about
 * it. The protocol knows what its answers mean; {@link RequestAttempts} decides from this whether and when to try
 * again.
 */
public final class FailedAttempt extends Exception {

    /** What may follow the failed attempt. */
    public enum Next {
        /** The server refused the token (HTTP 401): the same attempt with a new token, once per request. */
        RENEW_TOKEN,
        /** The server refused the request before running it (throttled): another attempt is safe for any request. */
        RETRY,
        /** The request may have run (a dropped connection, a 5xx): another attempt only for a repeatable request. */
        RETRY_IF_REPEATABLE,
        /** Another attempt cannot help. */
        GIVE_UP
    }

    private final transient MailboxException error;
    private final Next next;
    private final transient String refusedToken;

    private FailedAttempt(MailboxException error, Next next, String refusedToken) {
        super(error.getMessage(), error, false, false);
        this.error = error;
        this.next = next;
        this.refusedToken = refusedToken;
    }

    /** The server refused this bearer token; {@code error} is what to report if the renewed one fails too. */
    public static FailedAttempt tokenRefused(MailboxException error, String token) {
        return new FailedAttempt(error, Next.RENEW_TOKEN, token);
    }

    public static FailedAttempt notRun(MailboxException error) {
        return new FailedAttempt(error, Next.RETRY, null);
    }

    public static FailedAttempt mayHaveRun(MailboxException error) {
        return new FailedAttempt(error, Next.RETRY_IF_REPEATABLE, null);
    }

    public static FailedAttempt giveUp(MailboxException error) {
        return new FailedAttempt(error, Next.GIVE_UP, null);
    }

    public MailboxException error() {
        return error;
    }

    public Next next() {
        return next;
    }

    /** The token the server refused, for {@link Next#RENEW_TOKEN}. */
    String refusedToken() {
        return refusedToken;
    }
}
