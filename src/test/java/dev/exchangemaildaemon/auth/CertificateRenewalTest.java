package dev.exchangemaildaemon.auth;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A certificate renewed in place (cert-manager rewrites the mounted Secret; an admin copies new PEM files over the
 * old) is used without a restart: the next token is signed with it, though the old one is gone from the app
 * registration, and its end is what the expiry gauge and health report.
 */
class CertificateRenewalTest {

    private static final String CERT_APP = "cccccccc-5555-6666-7777-888888888888";

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(CERT_APP, UUID.randomUUID().toString()); // a secret the daemon never has

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    @Test
    void aCertificateRenewedInPlaceSignsTheNextTokenAndIsGauged() throws Exception {
        TestCertificates old = TestCertificates.create(dir, "old", 30);
        TestCertificates renewed = TestCertificates.create(dir, "renewed", 400);
        Path certificate = dir.resolve("app.crt.pem");
        Path key = dir.resolve("app.key.pem");
        Files.copy(old.certificate(), certificate);
        Files.copy(old.privateKey(), key);
        simulator.uploadCertificate(CERT_APP, old.x509());
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.entra.client-id", CERT_APP,
                "mail.entra.auth-flow", "client-certificate", "mail.entra.client-secret", "",
                "mail.entra.certificate", certificate.toString(), "mail.entra.private-key", key.toString()));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AccessTokens tokens = new EntraTokens(config, tls, Clock.systemUTC(), meters).forUser(INVOICES, "");
        CredentialExpiry expiry = new CredentialExpiry(config, Clock.systemUTC(), meters);
        String first = tokens.get();
        assertTrue(gaugedDays(meters) < 31, "the old certificate's end: " + gaugedDays(meters));

        Files.copy(renewed.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
        simulator.uploadCertificate(CERT_APP, renewed.x509());
        simulator.removeCertificate(CERT_APP, old.x509());
        tokens.refused(first); // as after a 401, or when the token is due for renewal

        String second = tokens.get();

        assertNotEquals(first, second);
        assertEquals(renewed.x509().getNotAfter().toInstant(), expiry.expiries().get(0).notAfter());
        assertTrue(gaugedDays(meters) > 398, "the renewed certificate's end: " + gaugedDays(meters));
    }

    private static double gaugedDays(SimpleMeterRegistry meters) {
        return meters.get("exchange_mail_credential_expiry_seconds").tag("kind", "certificate").gauge().value()
                / Duration.ofDays(1).toSeconds();
    }
}
