package dev.exchangemaildaemon.simulator.entra;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

import dev.exchangemaildaemon.simulator.HttpExchanges;
import dev.exchangemaildaemon.simulator.RequestLog;

/**
 * Entra ID's v2.0 token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}, for Exchange Online's EWS and for
 * Microsoft Graph: the client credentials grant (app-only, {@code {resource}/.default}), the resource owner password
 * grant (delegated, such as {@code EWS.AccessAsUser.All} or Graph's {@code Mail.ReadWrite}, or {@code .default})
 * and the refresh token grant MSAL uses to renew the latter. As in Entra ID, the tenant knows two resources,
 * {@code https://outlook.office365.com} and {@code https://graph.microsoft.com}, whatever URL the client sends its
 * requests to; a scope of any other resource is refused with AADSTS500011. Failures injected through
 * {@link TokenFaults} come before any other check but the tenant's.
 */
public final class TokenEndpoint {

    static final String EXCHANGE_RESOURCE = "https://outlook.office365.com";
    static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    private static final String DEFAULT_SCOPE = ".default";

    /** The OpenID Connect scopes MSAL adds to every request; Entra ID ignores them in client credentials. */
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");

    /** A tenant named by id; anything else must at least look like a domain name. */
    private static final Pattern GUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOMAIN =
            Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}", Pattern.CASE_INSENSITIVE);

    private final Directory directory;
    private final IssuedTokens tokens;
    private final TokenFaults faults;
    private final RequestLog log;
    private final Clock clock;
    private final String issuerBase;
    private final ClientAssertions assertions;

    public TokenEndpoint(Directory directory, IssuedTokens tokens, TokenFaults faults, RequestLog log, Clock clock,
                  String issuerBase, ClientAssertions assertions) {
        this.assertions = assertions;
        this.directory = directory;
        this.tokens = tokens;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
        this.issuerBase = issuerBase;
    }

    public void handle(HttpExchange exchange, String tenant) throws IOException {
        Map<String, String> form = HttpExchanges.form(exchange);
        String correlationId = Optional.ofNullable(exchange.getRequestHeaders().getFirst("client-request-id"))
                .orElseGet(() -> UUID.randomUUID().toString());
        log.tokenRequest(form.getOrDefault("grant_type", ""));
        if (faults.stalls(form.get("client_id"), form.get("username"),
                tokens.refreshTokenOwner(form.getOrDefault("refresh_token", "")).orElse(null))) {
            holdUnanswered();
            return;
        }
        try {
            String answer = Json.write(grant(tenant, form));
            if (faults.stallsBody(form.get("client_id"), form.get("username"),
                    tokens.refreshTokenOwner(form.getOrDefault("refresh_token", "")).orElse(null))) {
                sendHalfAndHold(exchange, answer);
                return;
            }
            HttpExchanges.sendJson(exchange, 200, answer);
        } catch (Refused refused) {
            HttpExchanges.sendJson(exchange, refused.error.status(),
                    refused.error.toJson(correlationId, clock.instant()));
        }
    }

    /** A stalled front end: the request was taken, and no answer comes until the fault is cleared. */
    private void holdUnanswered() throws IOException {
        try {
            faults.holdUntilCleared();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("simulator stopping", e);
        }
    }

    /**
     * A front end that stops mid-answer: the headers and half the body go out, the rest never comes, and the
     * connection stays open until the simulator stops.
     */
    private static void sendHalfAndHold(HttpExchange exchange, String answer) throws IOException {
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        try {
            new CountDownLatch(1).await(); // never opened: only the simulator's stop, interrupting, ends it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("simulator stopping", e);
        }
    }

    private Map<String, Object> grant(String tenant, Map<String, String> form) throws Refused {
        checkTenant(tenant);
        String grantType = required(form, "grant_type");
        String refreshTokenOwner = tokens.refreshTokenOwner(form.getOrDefault("refresh_token", "")).orElse(null);
        Optional<EntraError> injected = faults.errorFor(form.getOrDefault("client_id", ""), directory.tenantId(),
                form.get("client_id"), form.get("username"), refreshTokenOwner);
        if (injected.isPresent()) {
            throw new Refused(injected.get());
        }
        return switch (grantType) {
            case "client_credentials" -> clientCredentials(form);
            case "password" -> password(form);
            case "refresh_token" -> refreshToken(form);
            default -> throw new Refused(EntraError.unsupportedGrantType(grantType));
        };
    }

    private void checkTenant(String tenant) throws Refused {
        if (!GUID.matcher(tenant).matches() && !DOMAIN.matcher(tenant).matches()) {
            throw new Refused(EntraError.tenantMalformed(tenant));
        }
        if (!tenant.equalsIgnoreCase(directory.tenantId())) {
            throw new Refused(EntraError.tenantNotFound(tenant));
        }
    }

    private Map<String, Object> clientCredentials(Map<String, String> form) throws Refused {
        Directory.App app = authenticatedApp(form, true);
        List<String> resourceScopes = scopes(form).stream().filter(scope -> !OIDC_SCOPES.contains(scope)).toList();
        String scope = String.join(" ", resourceScopes);
        if (resourceScopes.size() != 1 || !scope.endsWith("/" + DEFAULT_SCOPE)) {
            throw new Refused(EntraError.scopeWithoutDefault(scope));
        }
        AccessToken.Audience audience = audience(resourceOf(scope));
        // As Entra ID does, an app without the roles still gets a token; EWS or Graph refuses it.
        return accessTokenResponse(tokens.issueAccessToken(app.clientId(), app.clientId(), AccessToken.Kind.APP_ONLY,
                audience, audience == AccessToken.Audience.GRAPH ? app.graphRoles() : app.roles()));
    }

    private Map<String, Object> password(Map<String, String> form) throws Refused {
        Directory.App app = authenticatedApp(form, false);
        String username = required(form, "username");
        String password = required(form, "password");
        List<String> requested = scopes(form);
        Directory.User user = directory.user(username)
                .orElseThrow(() -> new Refused(EntraError.userNotFound(directory.tenantId())));
        if (!Secrets.equal(user.password(), password)) {
            throw new Refused(EntraError.invalidCredentials());
        }
        return delegatedResponse(app, user, requested);
    }

    private Map<String, Object> refreshToken(Map<String, String> form) throws Refused {
        Directory.App app = authenticatedApp(form, false);
        List<String> requested = scopes(form);
        Directory.User user = tokens.refreshTokenOwner(required(form, "refresh_token"))
                .flatMap(directory::user)
                .orElseThrow(() -> new Refused(EntraError.invalidRefreshToken()));
        return delegatedResponse(app, user, requested);
    }

    /**
     * The app named by {@code client_id}. A confidential client must prove itself with its secret; a public
     * client (the password and refresh grants) may omit it, but a secret it does send must be right.
     */
    private Directory.App authenticatedApp(Map<String, String> form, boolean secretRequired) throws Refused {
        String clientId = required(form, "client_id");
        Directory.App app = directory.app(clientId)
                .orElseThrow(() -> new Refused(EntraError.applicationNotFound(clientId, directory.tenantId())));
        if (ClientAssertions.present(form)) {
            try {
                assertions.check(form, clientId, issuerBase + "/" + directory.tenantId() + "/oauth2/v2.0/token");
                return app;
            } catch (ClientAssertions.Refusal refusal) {
                throw new Refused(refusal.error());
            }
        }
        String secret = form.get("client_secret");
        if (secret == null && secretRequired) {
            throw new Refused(EntraError.missingClientSecret());
        }
        if (secret != null && !Secrets.equal(app.secret(), secret)) {
            throw new Refused(EntraError.invalidClientSecret(clientId));
        }
        return app;
    }

    /** The resource a scope belongs to: what comes before its last slash. */
    private static String resourceOf(String scope) {
        int slash = scope.lastIndexOf('/');
        return slash < 0 ? scope : scope.substring(0, slash);
    }

    /** Which API a resource is; Entra ID knows no other resource in this tenant. */
    private AccessToken.Audience audience(String resource) throws Refused {
        if (resource.equalsIgnoreCase(EXCHANGE_RESOURCE)) {
            return AccessToken.Audience.EXCHANGE;
        }
        if (resource.equalsIgnoreCase(GRAPH_RESOURCE)) {
            return AccessToken.Audience.GRAPH;
        }
        throw new Refused(EntraError.resourceNotFound(resource, directory.tenantId()));
    }

    /** The one resource the request's scopes name, besides the OpenID Connect ones. */
    private String requestedResource(List<String> requested) throws Refused {
        List<String> resources = requested.stream().filter(scope -> !OIDC_SCOPES.contains(scope))
                .map(TokenEndpoint::resourceOf).map(resource -> resource.toLowerCase(Locale.ROOT))
                .distinct().toList();
        if (resources.size() > 1) {
            throw new Refused(EntraError.scopesOfSeveralResources(String.join(" ", requested)));
        }
        return requested.stream().filter(scope -> !OIDC_SCOPES.contains(scope)).findFirst()
                .map(TokenEndpoint::resourceOf).orElse(EXCHANGE_RESOURCE);
    }

    /**
     * The permissions a delegated token gets: all those consented for the user on the resource when the request asks
     * for {@code {resource}/.default}, else those it names, each of which must have been consented.
     */
    private Set<String> grantedScopes(List<String> requested, Set<String> consented, Directory.App app)
            throws Refused {
        Set<String> granted = new LinkedHashSet<>();
        for (String scope : requested) {
            if (OIDC_SCOPES.contains(scope)) {
                continue;
            }
            String permission = scope.substring(scope.lastIndexOf('/') + 1);
            if (permission.equalsIgnoreCase(DEFAULT_SCOPE)) {
                granted.addAll(consented);
            } else if (consented.contains(permission)) {
                granted.add(permission);
            } else {
                throw new Refused(EntraError.consentRequired(app.clientId()));
            }
        }
        if (granted.isEmpty()) {
            throw new Refused(EntraError.consentRequired(app.clientId()));
        }
        return granted;
    }

    private Map<String, Object> delegatedResponse(Directory.App app, Directory.User user, List<String> requested)
            throws Refused {
        String resource = requestedResource(requested);
        AccessToken.Audience audience = audience(resource);
        Set<String> granted = grantedScopes(requested,
                audience == AccessToken.Audience.GRAPH ? user.graphScopes() : user.scopes(), app);
        Map<String, Object> body = accessTokenResponse(
                tokens.issueAccessToken(user.upn(), app.clientId(), AccessToken.Kind.DELEGATED, audience, granted));
        String scopePrefix = audience == AccessToken.Audience.EXCHANGE ? EXCHANGE_RESOURCE : resource;
        List<String> scope = new ArrayList<>();
        granted.forEach(permission -> scope.add(scopePrefix + "/" + permission));
        requested.stream().filter(OIDC_SCOPES::contains).forEach(scope::add);
        body.put("scope", String.join(" ", scope));
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
