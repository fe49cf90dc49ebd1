package dev.exchangemaildaemon.simulator.entra;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every access and refresh token the simulator handed out. Tokens are opaque random strings: a client must not
 * look inside an access token meant for another resource, and this keeps the daemon honest about that.
 */
public final class IssuedTokens {

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private volatile Duration lifetime = Duration.ofMinutes(60);

    public IssuedTokens(Clock clock) {
        this.clock = clock;
    }

    public void lifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive: " + lifetime);
        }
        this.lifetime = lifetime;
    }

    AccessToken issueAccessToken(String principal, String clientId, AccessToken.Kind kind,
                                 AccessToken.Audience audience, Set<String> permissions) {
        AccessToken token = new AccessToken(randomToken(96), principal, clientId, kind, audience,
                Set.copyOf(permissions), clock.instant().plus(lifetime));
        accessTokens.put(token.value(), token);
        return token;
    }

    /** A refresh token for the user with that UPN. */
    String issueRefreshToken(String upn) {
        String token = randomToken(160);
        refreshTokens.put(token, upn);
        return token;
    }

    /** The token if the simulator issued it and it has not expired. */
    public Optional<AccessToken> validAccessToken(String value) {
        return Optional.ofNullable(accessTokens.get(value)).filter(token -> !token.expiredAt(clock.instant()));
    }

    /** Makes every access token issued so far invalid, as a revocation does; refresh tokens stay valid. */
    public void revokeAccessTokens() {
        accessTokens.clear();
    }

    /** The UPN a refresh token was issued to. */
    Optional<String> refreshTokenOwner(String value) {
        return Optional.ofNullable(refreshTokens.get(value));
    }

    private String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
