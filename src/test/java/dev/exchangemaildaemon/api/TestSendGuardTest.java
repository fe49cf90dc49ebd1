package dev.exchangemaildaemon.api;

import static dev.exchangemaildaemon.testing.SimulatorResource.API_TOKEN;
import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_SECRET;
import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.CapturedLog;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * POST /api/test-send is no relay: it sends only from the configured sender, at most so many times per window,
 * and leaves an audit line for every attempt, without the API token.
 */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@TestProfile(TestSendGuardTest.TwoSendsAnHour.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true)
class TestSendGuardTest {

    /** A window far longer than the test, so that no send leaves it while the test runs. */
    public static class TwoSendsAnHour implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mail.send.rate-limit", "2", "mail.send.rate-window", "PT1H");
        }
    }

    ExchangeSimulator simulator;

    private static ValidatableResponse send(String json) {
        return given().auth().oauth2(API_TOKEN).contentType(ContentType.JSON).body(json).post("/api/test-send").then();
    }

    private boolean anywhere(String subject) {
        return simulator.messages(ORDERS, "inbox").stream().anyMatch(message -> contains(message.mime(), subject))
                || simulator.messages(INVOICES, "sentitems").stream().anyMatch(m -> contains(m.mime(), subject))
                || simulator.messages(SENDER, "sentitems").stream().anyMatch(m -> contains(m.mime(), subject));
    }

    private static boolean contains(byte[] mime, String text) {
        return new String(mime, StandardCharsets.UTF_8).contains(text);
    }

    @Test
    void anotherMailboxOfTheTenantAsSenderIsRefusedWith403() {
        String subject = "relay " + UUID.randomUUID();
        try (CapturedLog log = CapturedLog.install()) {
            send("{\"to\": \"" + ORDERS + "\", \"from\": \"" + INVOICES + "\", \"subject\": \"" + subject + "\"}")
                    .statusCode(403)
                    .body("result", equalTo("ERROR"))
                    .body("code", equalTo("SENDER_NOT_ALLOWED"))
                    .body("step", equalTo("Configuration: sender"))
                    .body("message", containsString(INVOICES))
                    .body("hint", containsString("mail.send.allowed-senders"));
            assertFalse(anywhere(subject), "nothing was sent");
            assertTrue(log.text().contains(": from " + INVOICES + " to " + ORDERS + ", subject \"" + subject
                    + "\": refused: sender not allowed"), log.text());
        }
    }

    @Test
    void theSendOverTheLimitIs429WithRetryAfterAndEveryAttemptIsAudited() {
        String subject = "limit " + UUID.randomUUID();
        String json = "{\"to\": \"" + ORDERS + "\", \"subject\": \"" + subject + "\"}";
        try (CapturedLog log = CapturedLog.install()) {
            send(json).statusCode(200);
            send(json).statusCode(200);
            String retryAfter = send(json)
                    .statusCode(429)
                    .body("code", equalTo("RATE_LIMITED"))
                    .body("hint", containsString("mail.send.rate-limit"))
                    .extract().header("Retry-After");
            long seconds = Long.parseLong(retryAfter);
            assertTrue(seconds > 0 && seconds <= 3600, retryAfter);
            assertEquals(2, simulator.messages(ORDERS, "inbox").stream()
                    .filter(message -> contains(message.mime(), subject)).count(), "the third was not sent");

            String audit = log.text();
            String line = "INFO test send requested by API client 127.0.0.1: from " + SENDER + " to " + ORDERS
                    + ", subject \"" + subject + "\": ";
            assertEquals(2, audit.split(java.util.regex.Pattern.quote(line + "sent"), -1).length - 1, audit);
            assertTrue(audit.contains(line + "refused: rate limit, retry in " + seconds + " s"), audit);
            assertFalse(audit.contains(API_TOKEN) || audit.contains(CLIENT_SECRET), "no secret in the log");
        }
    }
}
