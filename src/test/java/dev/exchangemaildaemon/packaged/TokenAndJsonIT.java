package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * What a native build breaks first, on the packaged daemon (the jar here; the native executable after
 * {@code -Dnative}, see {@link DaemonProcess}), over EWS and over Graph: a token from Entra ID over HTTPS (MSAL4J
 * needs the https URL protocol), and the JSON the daemon reads and writes with its own ObjectMappers (Graph's
 * answers and requests, {@code check --json}, {@code test-send --json}, {@code /api/check}, {@code /api/test-send}),
 * which needs its types registered for reflection. Each answer is compared whole: a native image without the
 * registrations printed {@code {}} for a sent message.
 */
class TokenAndJsonIT extends AgainstSimulator {

    private static final Duration COMMAND_WITHIN = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_CHECK = "Entra ID token (client credentials)";

    TokenAndJsonIT() {
        super(INVOICES, ORDERS, SENDER);
    }

    @ParameterizedTest
    @ValueSource(strings = { "ews", "graph" })
    void checkAsJsonGetsATokenAndOpensEachFolder(String api) {
        DaemonSetup setup = DaemonSetup.write(dir, simulator, INVOICES, api);

        DaemonProcess.CommandRun run = DaemonProcess.run(setup, COMMAND_WITHIN, "check", "--json");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(Map.of("result", "OK", "checks", List.of(
                Map.of("name", TOKEN_CHECK, "result", "OK", "detail", "token issued"),
                Map.of("name", "sender " + SENDER + ": folder sentitems", "result", "OK", "detail", "opened"),
                Map.of("name", "mailbox " + INVOICES + ": folder inbox", "result", "OK", "detail", "opened"))),
                parse(run.out()));
        assertTrue(simulator.tokenRequests("client_credentials") > 0, "the token came from the simulator's Entra ID");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ews", "graph" })
    void testSendAsJsonPrintsTheResultAndSends(String api) {
        DaemonSetup setup = DaemonSetup.write(dir, simulator, INVOICES, api);
        String subject = "test-send " + api + " " + UUID.randomUUID();

        DaemonProcess.CommandRun run = DaemonProcess.run(setup, COMMAND_WITHIN, "test-send", "--to", ORDERS,
                "--subject", subject, "--json");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(Map.of("result", "OK", "from", SENDER, "to", ORDERS, "subject", subject), parse(run.out()));
        assertTrue(received(ORDERS, subject), "the test message arrived");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ews", "graph" })
    void theRunningDaemonDeliversAndAnswersTheAdminApi(String api) {
        List<byte[]> seeded = simulator.seedSampleMessages(INVOICES);
        DaemonSetup setup = DaemonSetup.write(dir, simulator, INVOICES, api);
        String subject = "api " + api + " " + UUID.randomUUID();

        try (DaemonProcess daemon = DaemonProcess.start(setup)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            DeliveryAssertions.assertEachDeliveredOnce(setup, INVOICES, seeded);

            HttpResponse<String> check = daemon.post("/api/check", null);
            assertEquals(200, check.statusCode(), check.body());
            assertEquals("OK", parse(check.body()).get("result"), check.body());
            assertEquals(3, ((List<?>) parse(check.body()).get("checks")).size(), check.body());

            HttpResponse<String> sent = daemon.post("/api/test-send",
                    "{\"to\": \"" + ORDERS + "\", \"subject\": \"" + subject + "\"}");
            assertEquals(200, sent.statusCode(), sent.body());
            assertEquals(Map.of("result", "OK", "from", SENDER, "to", ORDERS, "subject", subject), parse(sent.body()));
            assertTrue(received(ORDERS, subject), "the test message arrived");
        }
    }

    private boolean received(String address, String subject) {
        return simulator.messages(address, "inbox").stream()
                .anyMatch(message -> new String(message.mime(), StandardCharsets.UTF_8).contains(subject));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
