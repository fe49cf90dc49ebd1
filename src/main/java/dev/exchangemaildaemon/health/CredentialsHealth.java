package dev.exchangemaildaemon.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.exchangemaildaemon.auth.CredentialExpiry;

/**
 * The app's credentials and when they expire ({@code certificateExpires}, {@code certificateDaysLeft}; the same
 * for {@code client_secret}). Always UP: a credential that runs out soon still works, and an expired one shows in
 * each mailbox's readiness; this is where an admin reads the date.
 */
@Readiness
@ApplicationScoped
public class CredentialsHealth implements HealthCheck {

    private final CredentialExpiry expiry;

    public CredentialsHealth(CredentialExpiry expiry) {
        this.expiry = expiry;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("credentials").up();
        for (CredentialExpiry.Expiry credential : expiry.expiries()) {
            String prefix = credential.kind().equals("certificate") ? "certificate" : "clientSecret";
            response.withData(prefix + "Expires", credential.notAfter().toString())
                    .withData(prefix + "DaysLeft", expiry.secondsLeft(credential) / 86_400);
        }
        return response.build();
    }
}
