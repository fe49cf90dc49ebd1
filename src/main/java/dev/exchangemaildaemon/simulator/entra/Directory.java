package dev.exchangemaildaemon.simulator.entra;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The tenant's app registrations and user accounts, as Entra ID knows them. */
public final class Directory {

    /** The application permission EWS requires of an app-only token. */
    static final String EWS_APP_ROLE = "full_access_as_app";
    /** The delegated permission EWS requires of a user's token. */
    static final String EWS_USER_SCOPE = "EWS.AccessAsUser.All";
    /** The Microsoft Graph permissions the daemon needs, as application and as delegated permissions alike. */
    static final Set<String> GRAPH_MAIL_PERMISSIONS = Set.of("Mail.ReadWrite", "Mail.Send");

    /**
     * An app registration with one client secret.
     *
     * @param roles      the Exchange application permissions an admin consented to, which app-only EWS tokens carry
     * @param graphRoles the Microsoft Graph application permissions consented to, which app-only Graph tokens carry
     */
    record App(String clientId, String secret, Set<String> roles, Set<String> graphRoles) {
    }

    /**
     * A cloud-only (managed) user account; {@code objectId} is its stable {@code oid}.
     *
     * @param scopes      the Exchange delegated permissions consented to for this user, which its EWS tokens carry
     * @param graphScopes the Microsoft Graph delegated permissions consented to for this user
     */
    record User(String upn, String password, String objectId, Set<String> scopes, Set<String> graphScopes) {
    }

    private final String tenantId;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Map<String, User> users = new ConcurrentHashMap<>();

    public Directory(String tenantId) {
        this.tenantId = tenantId;
    }

    public String tenantId() {
        return tenantId;
    }

    public void registerApp(String clientId, String secret) {
        apps.put(key(clientId), new App(clientId, secret, Set.of(EWS_APP_ROLE), GRAPH_MAIL_PERMISSIONS));
    }

    public void registerUser(String upn, String password) {
        users.put(key(upn), new User(upn, password, UUID.randomUUID().toString(), Set.of(EWS_USER_SCOPE),
                GRAPH_MAIL_PERMISSIONS));
    }

    public void appRoles(String clientId, Set<String> roles) {
        apps.compute(key(clientId), (key, app) -> {
            if (app == null) {
                throw new IllegalArgumentException("no app " + clientId);
            }
            return new App(app.clientId(), app.secret(), Set.copyOf(roles), app.graphRoles());
        });
    }

    public void graphAppRoles(String clientId, Set<String> roles) {
        apps.compute(key(clientId), (key, app) -> {
            if (app == null) {
                throw new IllegalArgumentException("no app " + clientId);
            }
            return new App(app.clientId(), app.secret(), app.roles(), Set.copyOf(roles));
        });
    }

    public void userScopes(String upn, Set<String> scopes) {
        users.compute(key(upn), (key, user) -> {
            if (user == null) {
                throw new IllegalArgumentException("no user " + upn);
            }
            return new User(user.upn(), user.password(), user.objectId(), Set.copyOf(scopes), user.graphScopes());
        });
    }

    public void graphUserScopes(String upn, Set<String> scopes) {
        users.compute(key(upn), (key, user) -> {
            if (user == null) {
                throw new IllegalArgumentException("no user " + upn);
            }
            return new User(user.upn(), user.password(), user.objectId(), user.scopes(), Set.copyOf(scopes));
        });
    }

    Optional<App> app(String clientId) {
        return Optional.ofNullable(apps.get(key(clientId)));
    }

    Optional<User> user(String upn) {
        return Optional.ofNullable(users.get(key(upn)));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
