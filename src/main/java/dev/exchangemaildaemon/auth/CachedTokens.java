package dev.exchangemaildaemon.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.microsoft.aad.msal4j.IAuthenticationResult;

/**
 * Keeps the last token of one principal until shortly before it expires, so that every poll in between
 * reuses it. MSAL4J has a cache of its own, but 1.26 keys it on the authority host without the port,
 * which makes every lookup miss against an authority on another port (national clouds behind a proxy,
 * the simulator); this small cache behaves the same everywhere, and the app flow skips MSAL4J's ({@link EntraTokens}).
 *
 * <p>No lock is held while a token request is in flight: callers that need a new token share the one request on
 * its way and each waits for it at most {@code deadline}, so a stalled Entra ID delays only this principal's
 * mailboxes, and each of them only that long. A renewal that does not come in time, or fails, leaves the current
 * token in use while it is still valid.
 */
final class CachedTokens implements AccessTokens {

    private static final Logger LOG = Logger.getLogger(CachedTokens.class);

    /**
     * Renew this long before expiry (or after three quarters of a shorter lifetime), so that a token never
     * runs out in the middle of a poll.
     */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    /** Starts one token request; its failure is a {@link TokenException}, met when the answer is awaited. */
    interface TokenRequest {
        CompletableFuture<IAuthenticationResult> start();
    }

    private final String principal;
    private final TokenRequest request;
    private final boolean appOnly;
    private final Clock clock;
    private final Duration deadline;
    private IAuthenticationResult current;
    private Instant acquiredAt;
    private CompletableFuture<IAuthenticationResult> inFlight;

    /**
     * @param principal names the flow and principal in errors and logs, such as {@code client credentials}
     * @param deadline the longest a caller waits for a token request's answer
     */
    CachedTokens(String principal, TokenRequest request, boolean appOnly, Clock clock, Duration deadline) {
        this.principal = principal;
        this.request = request;
        this.appOnly = appOnly;
        this.clock = clock;
        this.deadline = deadline;
    }

    @Override
    public String get() throws TokenException {
        CompletableFuture<IAuthenticationResult> pending;
        IAuthenticationResult stillValid;
        synchronized (this) {
            if (current != null && freshEnough(current)) {
                return current.accessToken();
            }
            pending = inFlight;
            if (pending == null) {
                Instant at = clock.instant();
                CompletableFuture<IAuthenticationResult> started = request.start();
                inFlight = started;
                pending = started;
                // runs here and now if the request failed at once
                started.whenComplete((result, failure) -> settled(started, result, at));
            }
            stillValid = current != null && clock.instant().isBefore(current.expiresOnDate().toInstant()) ? current
                    : null;
        }
        try {
            return await(pending).accessToken();
        } catch (TokenException e) {
            if (stillValid == null) {
                throw e;
            }
            LOG.warnf("Token renewal (%s) failed; the current token serves until it expires at %s: %s", principal,
                    stillValid.expiresOnDate().toInstant(), e.getMessage());
            return stillValid.accessToken();
        }
    }

    @Override
    public synchronized void refused(String token) {
        if (current != null && current.accessToken().equals(token)) {
            current = null;
        }
    }

    @Override
    public boolean appOnly() {
        return appOnly;
    }

    /** A request answered: its token replaces the current one, and it is no longer in flight. */
    private synchronized void settled(CompletableFuture<IAuthenticationResult> request, IAuthenticationResult result,
            Instant requestedAt) {
        if (result != null) {
            current = result;
            acquiredAt = requestedAt;
        }
        if (inFlight == request) {
            inFlight = null;
        }
    }

    private IAuthenticationResult await(CompletableFuture<IAuthenticationResult> pending) throws TokenException {
        try {
            return pending.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // the request stays in flight (MsalHttp ends it at the same timeout), shared by the next caller
            throw new TokenException("UNREACHABLE", "Entra ID did not answer the token request (" + principal
                    + ") within mail.entra.token-timeout (" + deadline + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("INTERRUPTED", "interrupted while waiting for a token (" + principal + ")", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TokenException failure) {
                throw failure;
            }
            throw new IllegalStateException("token request (" + principal + ") failed unexpectedly", e.getCause());
        }
    }

    private boolean freshEnough(IAuthenticationResult result) {
        Instant expires = result.expiresOnDate().toInstant();
        Duration margin = Duration.between(acquiredAt, expires).dividedBy(4);
        if (margin.compareTo(RENEW_BEFORE_EXPIRY) > 0) {
            margin = RENEW_BEFORE_EXPIRY;
        }
        return clock.instant().isBefore(expires.minus(margin));
    }
}
