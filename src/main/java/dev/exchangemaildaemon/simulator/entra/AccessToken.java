package dev.exchangemaildaemon.simulator.entra;

import java.time.Instant;
import java.util.Set;

/**
 * An access token the simulator issued for Exchange Online's EWS or for Microsoft Graph.
 *
 * @param principal   the app's client id for an app-only token, the user's UPN for a delegated one
 * @param clientId    the app the token was issued to (the {@code appid} claim)
 * @param audience    the resource the token is for (the {@code aud} claim); the other refuses it
 * @param permissions the {@code roles} of an app-only token, the {@code scp} of a delegated one
 */
public record AccessToken(String value, String principal, String clientId, Kind kind, Audience audience,
                   Set<String> permissions, Instant expiresAt) {

    public enum Audience {
        /** https://outlook.office365.com: EWS. */
        EXCHANGE,
        /** https://graph.microsoft.com: Microsoft Graph. */
        GRAPH
    }

    public enum Kind {
        /** Client credentials: needs role {@code full_access_as_app}, reaches mailboxes by impersonation only. */
        APP_ONLY,
        /** Resource owner password: needs scope {@code EWS.AccessAsUser.All}, reaches the user's own mailbox. */
        DELEGATED
    }

    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether the token carries the permission EWS requires of its kind. */
    public boolean permitsEws() {
        return audience == Audience.EXCHANGE
                && permissions.contains(kind == Kind.APP_ONLY ? Directory.EWS_APP_ROLE : Directory.EWS_USER_SCOPE);
    }
}
