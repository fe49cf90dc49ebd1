package dev.exchangemaildaemon.check;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.AppCertificate;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.TestCertificates;

/** Each broken certificate setup, made against the simulator: the check names it and the step to revisit. */
class CertificateDiagnosisTest {

    private static final String CERT_APP = "cccccccc-5555-6666-7777-888888888888";

    @TempDir
    static Path dir;
    private static ExchangeSimulator simulator;
    private static TestCertificates uploaded;
    private static TestCertificates other;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0).registerApp(CERT_APP, UUID.randomUUID().toString());
        simulator.addMailbox(INVOICES).addMailbox(SENDER);
        uploaded = TestCertificates.create(dir, "uploaded", 365);
        other = TestCertificates.create(dir, "not-uploaded", 365);
        simulator.uploadCertificate(CERT_APP, uploaded.x509());
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static CheckReport check(String certificate, String key) {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.client-id", CERT_APP);
        keys.put("mail.entra.auth-flow", "client-certificate");
        keys.put("mail.entra.client-secret", "");
        keys.put("mail.entra.certificate", certificate);
        keys.put("mail.entra.private-key", key);
        return new CheckRig(SimulatorConfig.of(simulator, dir, keys)).check.run(Optional.empty());
    }

    private static CheckOutcome failure(CheckReport report) {
        assertEquals("ERROR", report.result(), report::toString);
        return report.checks().stream().filter(outcome -> !outcome.ok()).findFirst().orElseThrow();
    }

    private static void assertNamed(CheckOutcome failed, String code, String step) {
        assertEquals(code, failed.code(), failed::toString);
        assertEquals(step, failed.step(), failed::toString);
        assertFalse(failed.hint().isBlank());
    }

    @Test
    void theUploadedCertificatePassesEveryCheck() {
        CheckReport report = check(uploaded.certificate().toString(), uploaded.privateKey().toString());
        assertEquals("OK", report.result(), report::toString);
    }

    @Test
    void aCertificateNotUploadedIsAadsts700027() {
        assertNamed(failure(check(other.certificate().toString(), other.privateKey().toString())), "AADSTS700027",
                Diagnoses.STEP_CERTIFICATE);
    }

    @Test
    void aClockOffByAnHourIsAadsts700024() {
        simulator.entraClockAhead(Duration.ofHours(1));
        try {
            assertNamed(failure(check(uploaded.certificate().toString(), uploaded.privateKey().toString())),
                    "AADSTS700024", Diagnoses.STEP_CLOCK);
        } finally {
            simulator.entraClockAhead(Duration.ZERO);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsNamedBeforeEntraIdIsAsked() {
        int before = simulator.tokenRequests("client_credentials");
        assertNamed(failure(check(uploaded.certificate().toString(), other.privateKey().toString())),
                AppCertificate.KEY_MISMATCH, Diagnoses.STEP_CERTIFICATE_FILES);
        assertEquals(before, simulator.tokenRequests("client_credentials"));
    }

    @Test
    void anUnreadableFileNamesItsKey() {
        CheckOutcome missing = failure(check(dir.resolve("no-such.crt.pem").toString(),
                uploaded.privateKey().toString()));
        assertNamed(missing, AppCertificate.UNREADABLE, Diagnoses.STEP_CERTIFICATE_FILES);
        assertTrue(missing.message().contains("mail.entra.certificate"), missing::message);

        CheckOutcome notAKey = failure(check(uploaded.certificate().toString(), uploaded.certificate().toString()));
        assertNamed(notAKey, AppCertificate.UNREADABLE, Diagnoses.STEP_CERTIFICATE_FILES);
        assertTrue(notAKey.message().contains("mail.entra.private-key"), notAKey::message);
    }

    @Test
    void aWrongPkcs12PasswordIsNamedWithoutThePassword() {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.client-id", CERT_APP);
        keys.put("mail.entra.auth-flow", "client-certificate");
        keys.put("mail.entra.client-secret", "");
        keys.put("mail.entra.certificate-store", uploaded.pkcs12().toString());
        keys.put("mail.entra.certificate-store-password", "wrong-p12-password-Ww8");
        CheckReport report = new CheckRig(SimulatorConfig.of(simulator, dir, keys)).check.run(Optional.empty());
        CheckOutcome failed = failure(report);
        assertNamed(failed, AppCertificate.UNREADABLE, Diagnoses.STEP_CERTIFICATE_FILES);
        assertTrue(failed.message().contains("mail.entra.certificate-store-password"), failed::message);
        assertFalse(report.toString().contains("wrong-p12-password-Ww8"));
    }
}
