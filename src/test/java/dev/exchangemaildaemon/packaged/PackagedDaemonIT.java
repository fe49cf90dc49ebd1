package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.Await;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.SimulatorResource.DaemonDirs;
import dev.exchangemaildaemon.testing.SimulatorResource.ManagementPort;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The packaged daemon, started as an administrator starts it (its own process, configuration from outside),
 * against the simulator: it polls on its own right after startup, fills the Maildirs and turns ready.
 */
@QuarkusIntegrationTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "seed", value = "true"),
        @ResourceArg(name = "mailboxes", value = INVOICES + "," + ORDERS) })
class PackagedDaemonIT {

    ExchangeSimulator simulator;
    DaemonDirs dirs;
    ManagementPort managementPort;

    @Test
    void pollsRightAfterStartupDeliversTheSeededMailAndTurnsReady() throws InterruptedException {
        Await.until(() -> "ready: " + given().port(managementPort.value()).get("/q/health/ready").asString(),
                Duration.ofSeconds(60),
                () -> given().port(managementPort.value()).get("/q/health/ready").statusCode() == 200);
        given().port(managementPort.value()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        for (String address : new String[] { INVOICES, ORDERS }) {
            Set<ByteBuffer> served = new HashSet<>();
            simulator.messages(address, "inbox").forEach(message -> {
                assertTrue(message.read(), address + ": a delivered message is marked read");
                served.add(ByteBuffer.wrap(message.mime()));
            });
            assertTrue(served.size() >= 4, address + " was seeded");
            assertEquals(served, new HashSet<>(MaildirContents.messages(dirs.maildir(), address)), address);
        }
        String metrics = given().port(managementPort.value()).get("/q/metrics").asString();
        assertTrue(metrics.contains("\nexchange_mail_messages_delivered_total{mailbox=\"" + INVOICES + "\"}"), metrics);
    }

    @Test
    void testSendOverTheApi() {
        given().auth().oauth2(SimulatorResource.API_TOKEN).contentType(ContentType.JSON)
                .body("{\"to\": \"" + SimulatorResource.SENDER + "\", \"subject\": \"from the packaged daemon\"}")
                .post("/api/test-send").then()
                .statusCode(200)
                .body("result", equalTo("OK"));
        assertTrue(simulator.messages(SimulatorResource.SENDER, "sentitems").stream().anyMatch(
                message -> new String(message.mime(), StandardCharsets.UTF_8).contains("from the packaged daemon")));
    }
}
