package dev.exchangemaildaemon.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.health.CredentialsHealth;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.CapturedLog;
import dev.exchangemaildaemon.testing.MutableClock;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The certificate's and the client secret's end dates reach the gauge and the health data, and a WARN line comes
 * once a day from 30 days before, on an injected clock.
 */
class CredentialExpiryTest {

    @TempDir
    static Path dir;
    private static ExchangeSimulator simulator;
    private static TestCertificates certificate;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0);
        certificate = TestCertificates.create(dir, "expiring", 90);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static MailConfig certificateConfig() {
        return SimulatorConfig.of(simulator, dir, Map.of("mail.entra.auth-flow", "client-certificate",
                "mail.entra.client-secret", "", "mail.entra.certificate", certificate.certificate().toString(),
                "mail.entra.private-key", certificate.privateKey().toString()));
    }

    @Test
    void theCertificatesEndIsGaugedAndWarnedOfOnceADayFrom30DaysBefore() {
        Instant notAfter = certificate.x509().getNotAfter().toInstant();
        MutableClock clock = new MutableClock(notAfter.minus(Duration.ofDays(31)));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (CapturedLog log = CapturedLog.install()) {
            CredentialExpiry expiry = new CredentialExpiry(certificateConfig(), clock, metrics);
            double gauged = metrics.get("exchange_mail_credential_expiry_seconds").tag("kind", "certificate")
                    .gauge().value();
            assertEquals(Duration.ofDays(31).toSeconds(), (long) gauged);

            expiry.warnIfSoon();
            assertFalse(log.text().contains("expires"), log::text);

            clock.advance(Duration.ofDays(2));
            expiry.warnIfSoon();
            expiry.warnIfSoon();
            assertEquals(1, count(log.text(), "The app's certificate (mail.entra.certificate) expires"), log::text);
            assertTrue(log.text().contains("in 29 days"), log::text);
            assertEquals(Duration.ofDays(29).toSeconds(), (long) metrics.get("exchange_mail_credential_expiry_seconds")
                    .tag("kind", "certificate").gauge().value());

            clock.advance(Duration.ofDays(1));
            expiry.warnIfSoon();
            assertEquals(2, count(log.text(), "The app's certificate (mail.entra.certificate) expires"), "next day");

            var health = new CredentialsHealth(expiry).call();
            assertEquals(notAfter.toString(), health.getData().orElseThrow().get("certificateExpires"));
            assertEquals(28L, health.getData().orElseThrow().get("certificateDaysLeft"));
        }
    }

    @Test
    void theClientSecretsEndDateComesFromItsKey() {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.entra.client-secret-expires", "2027-06-30"));
        MutableClock clock = new MutableClock(Instant.parse("2027-06-20T00:00:00Z"));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (CapturedLog log = CapturedLog.install()) {
            new CredentialExpiry(config, clock, metrics).warnIfSoon();
            assertEquals(Duration.ofDays(10).toSeconds(), (long) metrics.get("exchange_mail_credential_expiry_seconds")
                    .tag("kind", "client_secret").gauge().value());
            assertTrue(log.text().contains("The client secret (mail.entra.client-secret-expires) expires at"
                    + " 2027-06-30T00:00:00Z, in 10 days"), log::text);
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
