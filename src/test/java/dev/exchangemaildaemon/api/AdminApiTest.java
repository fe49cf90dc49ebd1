package dev.exchangemaildaemon.api;

import static dev.exchangemaildaemon.testing.SimulatorResource.API_TOKEN;
import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_SECRET;
import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.MISSING;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The admin API over HTTP: bearer token, check, test send, and input errors naming the field. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true)
class AdminApiTest {

    ExchangeSimulator simulator;

    @Test
    void withoutTheRightBearerTokenTheApiAnswers401() {
        given().post("/api/check").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        given().post("/api/test-send").then().statusCode(401);
        given().auth().oauth2(API_TOKEN + "x").post("/api/check").then().statusCode(401);
        given().auth().oauth2(API_TOKEN.substring(1)).post("/api/check").then().statusCode(401);
    }

    @Test
    void checkReportsEachMailboxAndNamesTheWrongStep() {
        given().auth().oauth2(API_TOKEN).post("/api/check").then()
                .statusCode(502)
                .body("result", equalTo("ERROR"))
                .body("checks.find { it.name.contains('" + INVOICES + "') }.result", equalTo("OK"))
                .body("checks.find { it.name.contains('" + SENDER + "') }.result", equalTo("OK"))
                .body("checks.find { it.name.contains('" + MISSING + "') }.code", equalTo("ErrorNonExistentMailbox"))
                .body("checks.find { it.name.contains('" + MISSING + "') }.step",
                        equalTo("Configuration: mailbox address"))
                .body(not(containsString(CLIENT_SECRET)));
    }

    @Test
    void checkOfOneMailbox() {
        given().auth().oauth2(API_TOKEN).queryParam("mailbox", ORDERS).post("/api/check").then()
                .statusCode(200)
                .body("result", equalTo("OK"))
                .body("checks", hasSize(2));
        given().auth().oauth2(API_TOKEN).queryParam("mailbox", "nobody@else.example").post("/api/check").then()
                .statusCode(400)
                .body("field", equalTo("mailbox"));
    }

    @Test
    void testSendDeliversAndKeepsACopy() {
        String subject = "api test " + UUID.randomUUID();
        given().auth().oauth2(API_TOKEN).contentType(ContentType.JSON)
                .body("{\"to\": \"" + ORDERS + "\", \"subject\": \"" + subject + "\"}")
                .post("/api/test-send").then()
                .statusCode(200)
                .body("result", equalTo("OK"))
                .body("from", equalTo(SENDER));
        assertTrue(simulator.messages(ORDERS, "inbox").stream()
                .anyMatch(message -> new String(message.mime(), StandardCharsets.UTF_8).contains(subject)));
        assertTrue(simulator.messages(SENDER, "sentitems").stream()
                .anyMatch(message -> new String(message.mime(), StandardCharsets.UTF_8).contains(subject)));
    }

    @Test
    void testSendRefusesBadInputWith400NamingTheField() {
        given().auth().oauth2(API_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/api/test-send").then().statusCode(400).body("field", equalTo("to"));
        given().auth().oauth2(API_TOKEN).contentType(ContentType.JSON).body("{\"to\": \"no-address\"}")
                .post("/api/test-send").then().statusCode(400).body("field", equalTo("to"));
        given().auth().oauth2(API_TOKEN).contentType(ContentType.JSON)
                .body("{\"to\": \"" + ORDERS + "\", \"subject\": \"x\\r\\nBcc: victim@example.com\"}")
                .post("/api/test-send").then().statusCode(400).body("field", equalTo("subject"));
    }

    @Test
    void testSendFromAnAllowedSenderExchangeRejectsIsDiagnosed() {
        given().auth().oauth2(API_TOKEN).contentType(ContentType.JSON).body("{\"to\": \"" + ORDERS
                + "\", \"from\": \"" + MISSING + "\"}")
                .post("/api/test-send").then()
                .statusCode(502)
                .body("result", equalTo("ERROR"))
                .body("code", equalTo("ErrorNonExistentMailbox"))
                .body("hint", not(equalTo("")));
    }
}
