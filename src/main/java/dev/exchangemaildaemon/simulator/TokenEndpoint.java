package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;

/**
 * Entra ID's v2.0 token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}, for Exchange Online: the client
 * credentials grant (app-only, {@code https://outlook.office365.com/.default}), the resource owner password grant
 * (delegated, {@code EWS.AccessAsUser.All}) and the refresh token grant MSAL uses to renew the latter.
 */
final class TokenEndpoint {

    private static final String EXCHANGE_RESOURCE = "https://outlook.office365.com";
    private static final String EXCHANGE_DEFAULT_SCOPE = EXCHANGE_RESOURCE + "/.default";
    private static final String EWS_DELEGATED_SCOPE = EXCHANGE_RESOURCE + "/EWS.AccessAsUser.All";

    /** The OpenID Connect scopes MSAL adds to every request; Entra ID ignores them in client credentials. */
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");

    private final Directory directory;
    private final IssuedTokens tokens;
    private final RequestLog log;
    private final Clock clock;
    private final String issuerBase;

    TokenEndpoint(Directory directory, IssuedTokens tokens, RequestLog log, Clock clock, String issuerBase) {
        this.directory = directory;
        this.tokens = tokens;
        this.log = log;
        this.clock = clock;
        this.issuerBase = issuerBase;
    }

    void handle(HttpExchange exchange, String tenant) throws IOException {
        Map<String, String> form = HttpExchanges.form(exchange);
        String correlationId = Optional.ofNullable(exchange.getRequestHeaders().getFirst("client-request-id"))
                .orElseGet(() -> UUID.randomUUID().toString());
        log.tokenRequest(form.getOrDefault("grant_type", ""));
        try {
            HttpExchanges.sendJson(exchange, 200, Json.write(grant(tenant, form)));
        } catch (Refused refused) {
            HttpExchanges.sendJson(exchange, refused.error.status(),
                    refused.error.toJson(correlationId, clock.instant()));
        }
    }

    private Map<String, Object> grant(String tenant, Map<String, String> form) throws Refused {
        if (!tenant.equalsIgnoreCase(directory.tenantId())) {
            throw new Refused(EntraError.tenantNotFound(tenant));
        }
        String grantType = required(form, "grant_type");
        return switch (grantType) {
            case "client_credentials" -> clientCredentials(form);
            case "password" -> password(form);
            case "refresh_token" -> refreshToken(form);
            default -> throw new Refused(EntraError.unsupportedGrantType(grantType));
        };
    }

    private Map<String, Object> clientCredentials(Map<String, String> form) throws Refused {
        Directory.App app = authenticatedApp(form, true);
        List<String> resourceScopes = scopes(form).stream().filter(scope -> !OIDC_SCOPES.contains(scope)).toList();
        String scope = String.join(" ", resourceScopes);
        if (resourceScopes.size() != 1 || !scope.endsWith("/.default")) {
            throw new Refused(EntraError.scopeWithoutDefault(scope));
        }
        if (!scope.equals(EXCHANGE_DEFAULT_SCOPE)) {
            throw new Refused(EntraError.resourceNotFound(scope.substring(0, scope.length() - "/.default".length()),
                    directory.tenantId()));
        }
        return accessTokenResponse(tokens.issueAccessToken(app.clientId(), AccessToken.Kind.APP_ONLY));
    }

    private Map<String, Object> password(Map<String, String> form) throws Refused {
        Directory.App app = authenticatedApp(form, false);
        String username = required(form, "username");
        String password = required(form, "password");
        List<String> scopes = delegatedScopes(form, app);
        Directory.User user = directory.user(username)
                .orElseThrow(() -> new Refused(EntraError.userNotFound(directory.tenantId())));
        if (!Secrets.equal(user.password(), password)) {
            throw new Refused(EntraError.invalidCredentials());
        }
        return delegatedResponse(app, user, scopes);
    }

    private Map<String, Object> refreshToken(Map<String, String> form) throws Refused {
        Directory.App app = authenticatedApp(form, false);
        List<String> scopes = delegatedScopes(form, app);
        Directory.User user = tokens.refreshTokenOwner(required(form, "refresh_token"))
                .flatMap(directory::user)
                .orElseThrow(() -> new Refused(EntraError.invalidRefreshToken()));
        return delegatedResponse(app, user, scopes);
    }

    /**
     * The app named by {@code client_id}. A confidential client must prove itself with its secret; a public
     * client (the password and refresh grants) may omit it, but a secret it does send must be right.
     */
    private Directory.App authenticatedApp(Map<String, String> form, boolean secretRequired) throws Refused {
        String clientId = required(form, "client_id");
        Directory.App app = directory.app(clientId)
                .orElseThrow(() -> new Refused(EntraError.applicationNotFound(clientId, directory.tenantId())));
        String secret = form.get("client_secret");
        if (secret == null && secretRequired) {
            throw new Refused(EntraError.missingClientSecret());
        }
        if (secret != null && !Secrets.equal(app.secret(), secret)) {
            throw new Refused(EntraError.invalidClientSecret(clientId));
        }
        return app;
    }

    /** The requested scopes, which must ask for EWS and nothing the app was not consented to. */
    private List<String> delegatedScopes(Map<String, String> form, Directory.App app) throws Refused {
        List<String> scopes = scopes(form);
        boolean onlyConsented = scopes.stream()
                .allMatch(scope -> OIDC_SCOPES.contains(scope) || scope.equals(EWS_DELEGATED_SCOPE));
        if (!onlyConsented || !scopes.contains(EWS_DELEGATED_SCOPE)) {
            throw new Refused(EntraError.consentRequired(app.clientId()));
        }
        return scopes;
    }

    private Map<String, Object> delegatedResponse(Directory.App app, Directory.User user, List<String> scopes) {
        Map<String, Object> body = accessTokenResponse(
                tokens.issueAccessToken(user.upn(), AccessToken.Kind.DELEGATED));
        body.put("scope", String.join(" ", scopes));
        body.put("refresh_token", tokens.issueRefreshToken(user.upn()));
        String tenantId = directory.tenantId();
        body.put("id_token", IdTokens.idToken(user, app.clientId(), tenantId,
                issuerBase + "/" + tenantId + "/v2.0", clock.instant()));
        body.put("client_info", IdTokens.clientInfo(user, tenantId));
        return body;
    }

    private Map<String, Object> accessTokenResponse(AccessToken token) {
        long expiresIn = Math.max(1, token.expiresAt().getEpochSecond() - clock.instant().getEpochSecond());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", expiresIn);
        body.put("ext_expires_in", expiresIn);
        body.put("access_token", token.value());
        return body;
    }

    private static List<String> scopes(Map<String, String> form) throws Refused {
        return Arrays.stream(required(form, "scope").split(" ")).filter(scope -> !scope.isBlank()).toList();
    }

    private static String required(Map<String, String> form, String name) throws Refused {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw new Refused(EntraError.missingParameter(name));
        }
        return value;
    }

    /** The request was refused with that error. */
    private static final class Refused extends Exception {
        private final transient EntraError error;

        Refused(EntraError error) {
            super(error.text(), null, false, false);
            this.error = error;
        }
    }
}
