package dev.exchangemaildaemon.simulator.entra;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import dev.exchangemaildaemon.simulator.HttpExchanges;

/**
 * Entra ID's user realm discovery, {@code GET /common/userrealm/{username}?api-version=1.0}, which MSAL calls
 * before a password grant to learn whether the account is federated. Every account here is cloud-only.
 */
public final class UserRealmEndpoint {

    private final Directory directory;

    public UserRealmEndpoint(Directory directory) {
        this.directory = directory;
    }

    public void handle(HttpExchange exchange, String username) throws IOException {
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("ver", "1.0");
        if (directory.user(username).isPresent()) {
            realm.put("account_type", "Managed");
            realm.put("domain_name", username.substring(username.indexOf('@') + 1));
        } else {
            realm.put("account_type", "Unknown");
        }
        realm.put("cloud_instance_name", "microsoftonline.com");
        realm.put("cloud_audience_urn", "urn:federation:MicrosoftOnline");
        HttpExchanges.sendJson(exchange, 200, Json.write(realm));
    }
}
