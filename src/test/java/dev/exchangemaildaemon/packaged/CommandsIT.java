package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.MISSING;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/** The admin commands of the packaged daemon: readable text, --json, and exit codes a script can use. */
@QuarkusMainIntegrationTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "mailboxes", value = INVOICES + "," + ORDERS), @ResourceArg(name = "seed", value = "true") })
class CommandsIT {

    ExchangeSimulator simulator;

    @Test
    void checkPassesAndSaysSo(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("check");
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().contains("OK     mailbox " + INVOICES + ": folder inbox"), result.getOutput());
        assertTrue(result.getOutput().contains("All checks passed."), result.getOutput());
        assertTrue(simulator.messages(INVOICES, "inbox").stream().noneMatch(message -> message.read()),
                "a command neither polls nor marks anything");
    }

    @Test
    void checkOfAnUnknownMailboxIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("check", "--mailbox", "nobody@else.example");
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().contains("--mailbox"), result.getErrorOutput());
    }

    @Test
    void testSendAsJson(QuarkusMainLauncher launcher) {
        String subject = "cli " + UUID.randomUUID();
        LaunchResult result = launcher.launch("test-send", "--to", ORDERS, "--subject", subject, "--json");
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().replace(" ", "").contains("\"result\":\"OK\""), result.getOutput());
        assertTrue(simulator.messages(ORDERS, "inbox").stream()
                .anyMatch(message -> new String(message.mime(), StandardCharsets.UTF_8).contains(subject)));
    }

    @Test
    void aFailedTestSendExitsNonZeroWithTheStep(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("test-send", "--to", ORDERS, "--from", MISSING);
        assertEquals(1, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().contains("ErrorNonExistentMailbox"), result.getOutput());
        assertTrue(result.getOutput().contains("step:    Configuration: mailbox address"), result.getOutput());
    }

    @Test
    void aTestSendFromAnotherMailboxIsRefusedAndAudited(QuarkusMainLauncher launcher) {
        String subject = "relay " + UUID.randomUUID();
        LaunchResult result = launcher.launch("test-send", "--to", ORDERS, "--from", INVOICES, "--subject", subject);
        assertEquals(1, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().contains("ERROR  test send: SENDER_NOT_ALLOWED"), result.getOutput());
        assertTrue(result.getOutput().contains("step:    Configuration: sender"), result.getOutput());
        assertTrue(result.getErrorOutput().contains("test send requested by the command line, user "
                + System.getProperty("user.name") + ": from " + INVOICES + " to " + ORDERS + ", subject \"" + subject
                + "\": refused: sender not allowed"), result.getErrorOutput());
        assertTrue(simulator.messages(ORDERS, "inbox").stream()
                .noneMatch(message -> new String(message.mime(), StandardCharsets.UTF_8).contains(subject)));
    }
}
