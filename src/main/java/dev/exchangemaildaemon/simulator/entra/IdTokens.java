package dev.exchangemaildaemon.simulator.entra;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenID Connect parts of a delegated token response: the {@code id_token} (an unsigned JWT, as MSAL reads
 * its claims without checking a signature) and {@code client_info}, from which MSAL builds the account's home id.
 */
final class IdTokens {

    private IdTokens() {
    }

    static String idToken(Directory.User user, String clientId, String tenantId, String issuer, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", clientId);
        claims.put("iss", issuer);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(3600).getEpochSecond());
        claims.put("name", user.upn());
        claims.put("oid", user.objectId());
        claims.put("preferred_username", user.upn());
        claims.put("sub", user.objectId());
        claims.put("tid", tenantId);
        claims.put("ver", "2.0");
        return base64Url(Json.write(Map.of("typ", "JWT", "alg", "none"))) + "." + base64Url(Json.write(claims)) + ".";
    }

    static String clientInfo(Directory.User user, String tenantId) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("uid", user.objectId());
        info.put("utid", tenantId);
        return base64Url(Json.write(info));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
