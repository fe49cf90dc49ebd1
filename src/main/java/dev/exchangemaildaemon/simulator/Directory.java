package dev.exchangemaildaemon.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The tenant's app registrations and user accounts, as Entra ID knows them. */
final class Directory {

    /** An app registration with one client secret; the simulator grants every app {@code full_access_as_app}. */
    record App(String clientId, String secret) {
    }

    /** A cloud-only (managed) user account; {@code objectId} is its stable {@code oid}. */
    record User(String upn, String password, String objectId) {
    }

    private final String tenantId;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Map<String, User> users = new ConcurrentHashMap<>();

    Directory(String tenantId) {
        this.tenantId = tenantId;
    }

    String tenantId() {
        return tenantId;
    }

    void registerApp(String clientId, String secret) {
        apps.put(clientId.toLowerCase(Locale.ROOT), new App(clientId, secret));
    }

    void registerUser(String upn, String password) {
        users.put(upn.toLowerCase(Locale.ROOT), new User(upn, password, UUID.randomUUID().toString()));
    }

    Optional<App> app(String clientId) {
        return Optional.ofNullable(apps.get(clientId.toLowerCase(Locale.ROOT)));
    }

    Optional<User> user(String upn) {
        return Optional.ofNullable(users.get(upn.toLowerCase(Locale.ROOT)));
    }
}
