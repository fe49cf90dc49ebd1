package dev.exchangemaildaemon.simulator.ews;

import java.io.IOException;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

import dev.exchangemaildaemon.simulator.HttpExchanges;
import dev.exchangemaildaemon.simulator.entra.AccessToken;
import dev.exchangemaildaemon.simulator.entra.IssuedTokens;

/**
 * Checks an EWS request's bearer token as Exchange Online does, answering HTTP 401 with a
 * {@code WWW-Authenticate: Bearer} challenge when the token is absent, unknown, expired, revoked or meant for
 * another resource (Microsoft Graph), and adding an
 * {@code x-ms-diagnostics} header when the token lacks the permission EWS requires of its kind.
 */
public final class EwsAuthorization {

    /** The Office 365 Exchange Online service principal and the issuer it trusts, as named in its challenges. */
    private static final String CHALLENGE = "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", "
            + "trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", "
            + "token_types=\"app_asserted_user_v1 service_asserted_app_v1\", authorization_uri=\"%s\"";

    /** Exchange Online's diagnostics for a token without full_access_as_app or EWS.AccessAsUser.All. */
    static final String NO_PERMISSION_DIAGNOSTICS = "2000008;reason=\"The token contains no permissions, or"
            + " permissions can not be understood.\";error_category=\"invalid_grant\"";

    private final IssuedTokens tokens;
    private final String challenge;

    public EwsAuthorization(IssuedTokens tokens, String authorizationUri) {
        this.tokens = tokens;
        this.challenge = String.format(CHALLENGE, authorizationUri);
    }

    /** The request's token if EWS accepts it; otherwise the request has been answered with 401. */
    Optional<AccessToken> authorize(HttpExchange exchange) throws IOException {
        Optional<String> bearer = bearer(exchange);
        Optional<AccessToken> token = bearer.flatMap(tokens::validAccessToken)
                .filter(valid -> valid.audience() == AccessToken.Audience.EXCHANGE);
        if (token.isEmpty()) {
            refuse(exchange, bearer.isPresent() ? challenge + ", error=\"invalid_token\"" : challenge);
        } else if (!token.get().permitsEws()) {
            exchange.getResponseHeaders().set("x-ms-diagnostics", NO_PERMISSION_DIAGNOSTICS);
            refuse(exchange, challenge + ", error=\"invalid_token\"");
            return Optional.empty();
        }
        return token;
    }

    private static void refuse(HttpExchange exchange, String challenge) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        HttpExchanges.sendEmpty(exchange, 401);
    }

    private static Optional<String> bearer(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).strip());
    }
}
