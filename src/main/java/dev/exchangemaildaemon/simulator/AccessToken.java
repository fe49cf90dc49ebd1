package dev.exchangemaildaemon.simulator;

import java.time.Instant;

/**
 * An access token the simulator issued for Exchange Online.
 *
 * @param principal the app's client id for an app-only token, the user's UPN for a delegated one
 */
record AccessToken(String value, String principal, Kind kind, Instant expiresAt) {

    enum Kind {
        /** Client credentials: role {@code full_access_as_app}, reaches mailboxes by impersonation only. */
        APP_ONLY,
        /** Resource owner password: scope {@code EWS.AccessAsUser.All}, reaches the user's own mailbox. */
        DELEGATED
    }

    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
