package dev.exchangemaildaemon.net;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;

import javax.net.ssl.SSLException;

import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;

/**
 * Failures on the way to the server, the same for every transport (EWS, Graph): no connection, TLS refused, no
 * answer in time, an answer that cannot be read, no token, interrupted.
 */
public final class TransportFailures {

    public static final String BAD_RESPONSE = "BAD_RESPONSE";
    public static final String TLS = "TLS";
    public static final String INTERRUPTED = "INTERRUPTED";
    public static final String CONNECTION = "CONNECTION";
    public static final String TIMEOUT = "TIMEOUT";

    private TransportFailures() {
    }

    public static MailboxException badResponse(String message, Throwable cause) {
        return new MailboxException(BAD_RESPONSE, Kind.TRANSIENT, message, null, cause);
    }

    public static MailboxException token(TokenException e) {
        return new MailboxException(e.errorCode().orElse("TOKEN"), Kind.AUTH, e.getMessage(), null, e);
    }

    /** Could not talk to {@code server} at all; {@code TLS} when its certificate was the reason. */
    public static MailboxException connection(String server, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return new MailboxException(TLS, Kind.PERMANENT, "TLS with " + server + " failed: " + tls.getMessage(),
                        null, e);
            }
        }
        if (OutboundProxy.refusedTunnel(e)) {
            return new MailboxException(OutboundProxy.REFUSED, Kind.TRANSIENT, "The proxy refused the tunnel to " + server
                    + ": " + e, null, e);
        }
        return new MailboxException(CONNECTION, Kind.TRANSIENT, String.valueOf(e), null, e);
    }

    /**
     * As {@link #connection(String, Exception)} for a request to {@code target} through {@code proxy}, naming the
     * proxy when it is why no answer came: a proxy that went away after the token was fetched must not send the
     * admin to check the mail server.
     */
    public static MailboxException connection(String server, Exception e, OutboundProxy proxy, URI target) {
        if (proxy.blame(target, e).filter(OutboundProxy.UNREACHABLE::equals).isPresent()) {
            return new MailboxException(OutboundProxy.UNREACHABLE, Kind.TRANSIENT, "The " + proxy
                    + " could not be reached on the way to " + server + ": " + e, null, e);
        }
        return connection(server, e);
    }

    /**
     * Whether the failure is one of connecting (refused, no route, the proxy refused the tunnel): no byte of the
     * request reached the server.
     */
    public static boolean neverConnected(MailboxException failure) {
        return OutboundProxy.REFUSED.equals(failure.code()) || connecting(failure);
    }

    /** Whether a connection could not be made, somewhere in the cause chain. */
    static boolean connecting(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    public static MailboxException timeout(Duration timeout) {
        return new MailboxException(TIMEOUT, Kind.TRANSIENT,
                "no complete answer within mail.exchange.request-timeout (" + timeout + ")");
    }

    /** An answer (a message body) that stopped arriving: no byte for that long. */
    public static MailboxException stalled(Duration idle) {
        return new MailboxException(TIMEOUT, Kind.TRANSIENT,
                "the answer stalled: no byte within mail.exchange.request-timeout (" + idle + ")");
    }

    public static MailboxException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new MailboxException(INTERRUPTED, Kind.TRANSIENT, "interrupted", null, e);
    }
}
