package dev.exchangemaildaemon.cli;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.MISSING;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.polling.Poller;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code status} asks a running daemon over its management port, as an admin would. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true)
class StatusCommandTest {

    ExchangeSimulator simulator;

    @Inject
    Poller poller;
    @Inject
    MailConfig config;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Test
    void aTableOfEachMailboxFromTheRunningDaemon() {
        simulator.deliver(ORDERS, "inbox", TestMessages.plain(ORDERS, "status"), false);
        poller.pollNow(ORDERS);
        poller.pollNow(MISSING);
        long waiting = MaildirContents.count(config.incoming().maildir().resolve(ORDERS).resolve("new"));

        Run run = status();

        assertEquals(1, run.exitCode, "a mailbox is down: " + run.out);
        List<String> lines = run.out.lines().toList();
        assertTrue(lines.get(0).matches("MAILBOX +STATUS +LAST SUCCESS +BACKLOG +CREDENTIAL EXPIRES +LAST ERROR"),
                run.out);
        String orders = row(lines, ORDERS);
        assertTrue(orders.matches(ORDERS.replace(".", "\\.") + " +UP +20\\d\\d-\\S+Z +" + waiting + "( .*)?"), orders);
        String missing = row(lines, MISSING);
        assertTrue(missing.matches(".* DOWN +never +0 +.*ErrorNonExistentMailbox.*"), missing);
        assertTrue(row(lines, INVOICES).contains(" never "), run.out);
    }

    @Test
    void asJson() throws Exception {
        poller.pollNow(MISSING);
        Run run = status("--json");
        JsonNode answer = new ObjectMapper().readTree(run.out);
        JsonNode missing = null;
        for (JsonNode mailbox : answer.path("mailboxes")) {
            if (mailbox.path("address").asText().equals(MISSING)) {
                missing = mailbox;
            }
        }
        assertTrue(missing != null, run.out);
        assertEquals("DOWN", missing.path("status").asText());
        assertEquals("0", missing.path("backlog").asText());
        assertTrue(missing.path("lastError").asText().contains("ErrorNonExistentMailbox"), run.out);
    }

    @Test
    void noDaemonIsAClearError() {
        StatusCommand command = new StatusCommand();
        command.url = "http://127.0.0.1:1";
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, command.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Cannot ask the daemon at http://127.0.0.1:1"));
    }

    private record Run(int exitCode, String out) {
    }

    private Run status(String... options) {
        StatusCommand command = new StatusCommand();
        command.url = "http://localhost:" + managementPort;
        command.json = List.of(options).contains("--json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = command.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private static String row(List<String> lines, String address) {
        return lines.stream().filter(line -> line.startsWith(address + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(address + " not in\n" + String.join("\n", lines)));
    }
}
