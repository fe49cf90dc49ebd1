package dev.exchangemaildaemon.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.microsoft.aad.msal4j.IAuthenticationResult;

/**
 * Keeps the last token of one principal until shortly before it expires, so that every poll in between
 * reuses it. MSAL4J has a cache of its own, but 1.26 keys it on the authority host without the port,
 * which makes every lookup miss against an authority on another port (national clouds behind a proxy,
 * the simulator); this small cache behaves the same everywhere.
 */
final class CachedTokens implements AccessTokens {

    /**
     * Renew this long before expiry (or after three quarters of a shorter lifetime), so that a token never
     * runs out in the middle of a poll.
     */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    interface TokenRequest {
        IAuthenticationResult acquire() throws TokenException;
    }

    private final TokenRequest request;
    private final boolean appOnly;
    private final Clock clock;
    private IAuthenticationResult current;
    private Instant acquiredAt;

    CachedTokens(TokenRequest request, boolean appOnly, Clock clock) {
        this.request = request;
        this.appOnly = appOnly;
        this.clock = clock;
    }

    @Override
    public synchronized String get() throws TokenException {
        if (current == null || !freshEnough(current)) {
            acquiredAt = clock.instant();
            current = request.acquire();
        }
        return current.accessToken();
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

    private boolean freshEnough(IAuthenticationResult result) {
        Instant expires = result.expiresOnDate().toInstant();
        Duration margin = Duration.between(acquiredAt, expires).dividedBy(4);
        if (margin.compareTo(RENEW_BEFORE_EXPIRY) > 0) {
            margin = RENEW_BEFORE_EXPIRY;
        }
        return clock.instant().isBefore(expires.minus(margin));
    }
}
