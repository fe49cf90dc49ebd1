package dev.exchangemaildaemon.outgoing;

import static dev.exchangemaildaemon.outgoing.OutgoingResource.SMTP_PASSWORD;
import static dev.exchangemaildaemon.outgoing.OutgoingResource.SMTP_USER;
import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The SMTP port with STARTTLS and AUTH configured, and a small max-message-size: a client must encrypt and log in
 * with the local credentials before anything is sent, and a message over the configured limit is refused 552.
 */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = OutgoingResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "secure", value = "true"), @ResourceArg(name = "max-message-size", value = "100000") })
class SecuredSmtpTest {

    ExchangeSimulator simulator;
    OutgoingResource.Outgoing outgoing;
    Path message;

    @BeforeEach
    void writeMessage() throws Exception {
        message = Files.createTempFile("outgoing", ".eml");
        Files.write(message, OutgoingMessages.invoice(SENDER, INVOICES));
    }

    @AfterEach
    void deleteMessage() throws Exception {
        Files.delete(message);
    }

    private Curl.Result submit(Path file, String... options) throws Exception {
        return Curl.submit(outgoing.smtpPort(), SENDER, List.of(INVOICES), file, 60, options);
    }

    private int sentItems() {
        return simulator.messages(SENDER, "sentitems").size();
    }

    @Test
    void overStartTlsWithTheLocalLoginTheMessageIsSent() throws Exception {
        int before = sentItems();

        Curl.Result result = submit(message, "--ssl-reqd", "--cacert", outgoing.smtpCertificate().toString(),
                "--user", SMTP_USER + ":" + SMTP_PASSWORD);

        assertTrue(result.sent(), result.output());
        assertTrue(result.output().contains("STARTTLS"), result.output());
        assertEquals(before + 1, sentItems());
    }

    @Test
    void aWrongPasswordIsRefusedAndNothingIsSent() throws Exception {
        int before = sentItems();

        Curl.Result result = submit(message, "--ssl-reqd", "--cacert", outgoing.smtpCertificate().toString(),
                "--user", SMTP_USER + ":wrong");

        assertFalse(result.sent(), result.output());
        assertTrue(result.output().contains("< 535"), result.output());
        assertEquals(before, sentItems());
    }

    @Test
    void withoutStartTlsNothingIsAccepted() throws Exception {
        int before = sentItems();

        Curl.Result result = submit(message, "--user", SMTP_USER + ":" + SMTP_PASSWORD);

        assertFalse(result.sent(), result.output());
        assertTrue(result.output().contains("< 530"), result.output());
        assertEquals(before, sentItems());
    }

    @Test
    void aMessageOverTheConfiguredLimitIsRefused552() throws Exception {
        int before = sentItems();
        Path large = Files.createTempFile("outgoing", ".eml");
        Files.write(large, OutgoingMessages.large(SENDER, INVOICES, 150_000));

        Curl.Result result = submit(large, "--ssl-reqd", "--cacert", outgoing.smtpCertificate().toString(),
                "--user", SMTP_USER + ":" + SMTP_PASSWORD);

        Files.delete(large);
        assertFalse(result.sent(), result.output());
        // curl declares the size at MAIL FROM, which is refused then; a client that does not is refused after DATA
        assertTrue(result.output().contains("< 552"), result.output());
        assertEquals(before, sentItems());
    }
}
