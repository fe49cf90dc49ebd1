package dev.exchangemaildaemon.check;

import static dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_SECRET;
import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static dev.exchangemaildaemon.testing.SimulatorResource.passwordOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.CapturedLog;

/**
 * Each setup mistake an admin makes, made against the simulator: the check and the test send name the code,
 * the step to revisit and what to do. No secret reaches an answer or the log.
 */
class DiagnosisTest {

    private static ExchangeSimulator simulator;
    private static CapturedLog log;
    private static final List<String> answers = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUESTER = "DiagnosisTest";

    @TempDir
    Path dir;

    /** Apps and users set up wrong in one way each, beside the working ones. */
    private static final String APP_WITHOUT_ROLE = "aaaaaaaa-0000-0000-0000-000000000001";
    private static final String APP_EXPIRED = "aaaaaaaa-0000-0000-0000-000000000002";
    private static final String APP_NOT_ALLOWED = "aaaaaaaa-0000-0000-0000-000000000003";
    private static final String APP_WITHOUT_GRAPH_ROLES = "aaaaaaaa-0000-0000-0000-000000000004";
    private static final String APP_NOT_ALLOWED_NOR_ON_GRAPH = "aaaaaaaa-0000-0000-0000-000000000005";
    private static final String OTHER_SECRET = "other-app-secret-Mm5";
    private static final String UNLICENSED = "unlicensed@contoso.com";
    private static final String DENIED = "denied@contoso.com";
    private static final String BUSY = "busy@contoso.com";
    private static final String NO_SCOPE = "noscope@contoso.com";
    private static final String REFUSED_RECIPIENT = "left-the-company@contoso.com";
    /** Users each failing sign-in with one AADSTS code. */
    private static final List<String> USER_FAILURES = List.of("AADSTS50076", "AADSTS50079", "AADSTS65001",
            "AADSTS7000218", "AADSTS50053", "AADSTS50057");

    @BeforeAll
    static void startSimulator() {
        log = CapturedLog.install();
        simulator = ExchangeSimulator.start(0);
        simulator.registerApp(dev.exchangemaildaemon.testing.SimulatorResource.CLIENT_ID, CLIENT_SECRET);
        for (String address : List.of(INVOICES, ORDERS, SENDER, DENIED, BUSY, NO_SCOPE)) {
            simulator.addMailbox(address).registerUser(address, passwordOf(address));
        }
        simulator.registerApp(APP_WITHOUT_ROLE, OTHER_SECRET).appRoles(APP_WITHOUT_ROLE);
        simulator.registerApp(APP_EXPIRED, OTHER_SECRET).failTokens(APP_EXPIRED, "AADSTS7000222");
        simulator.registerApp(APP_NOT_ALLOWED, OTHER_SECRET).blockEws(APP_NOT_ALLOWED);
        simulator.registerApp(APP_WITHOUT_GRAPH_ROLES, OTHER_SECRET).graphAppRoles(APP_WITHOUT_GRAPH_ROLES);
        simulator.registerApp(APP_NOT_ALLOWED_NOR_ON_GRAPH, OTHER_SECRET).blockEws(APP_NOT_ALLOWED_NOR_ON_GRAPH)
                .graphAppRoles(APP_NOT_ALLOWED_NOR_ON_GRAPH);
        simulator.addMailbox(UNLICENSED).failGraphMailbox(UNLICENSED, "MailboxNotEnabledForRESTAPI");
        simulator.userScopes(NO_SCOPE);
        simulator.failMailbox(DENIED, "ErrorImpersonateUserDenied");
        simulator.throttle(BUSY, 1000, 30_000);
        simulator.rejectRecipient(REFUSED_RECIPIENT);
        for (String code : USER_FAILURES) {
            String user = userFailing(code);
            simulator.addMailbox(user).registerUser(user, passwordOf(user)).failTokens(user, code);
        }
    }

    private static String userFailing(String code) {
        return code.toLowerCase(java.util.Locale.ROOT) + "@contoso.com";
    }

    @AfterAll
    static void noSecretAnywhere() {
        simulator.stop();
        log.close();
        String everything = String.join("\n", answers) + "\n" + log.text();
        for (String secret : List.of(CLIENT_SECRET, OTHER_SECRET, passwordOf(INVOICES), passwordOf(SENDER),
                passwordOf(NO_SCOPE), passwordOf(userFailing("AADSTS50076")), "wrong-secret-Vv2", "wrong-password-Pp3")) {
            assertFalse(everything.contains(secret), "a secret leaked:\n" + everything);
        }
        assertTrue(answers.size() > 5, "the rows ran");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                row("secret ID copied instead of its Value", Map.of("mail.entra.client-secret", "wrong-secret-Vv2"),
                        "AADSTS7000215", Diagnoses.STEP_SECRET),
                row("tenant ID of another directory",
                        Map.of("mail.entra.tenant-id", "99999999-2222-3333-4444-555555555555"), "AADSTS90002",
                        Diagnoses.STEP_TENANT),
                row("client ID not registered", Map.of("mail.entra.client-id", "00000000-7777-8888-9999-000000000000"),
                        "AADSTS700016", Diagnoses.STEP_CLIENT),
                row("wrong password", with(CheckRig.delegated(), "mail.incoming.mailboxes[0].password",
                        "wrong-password-Pp3"), "AADSTS50126", Diagnoses.STEP_ACCOUNT),
                row("proxy CA not trusted", Map.of("mail.exchange.trust-store", ""), "TLS", Diagnoses.STEP_TLS),
                row("Entra ID unreachable", Map.of("mail.entra.authority-host", "https://localhost:" + closedPort()),
                        "UNREACHABLE", Diagnoses.STEP_NETWORK),
                row("wrong EWS port", Map.of("mail.exchange.ews-url",
                        "https://localhost:" + closedPort() + "/EWS/Exchange.asmx"), "CONNECTION",
                        Diagnoses.STEP_SERVER),
                row("mailbox address misspelt", Map.of("mail.incoming.mailboxes[0].address", "invoice@contoso.com"),
                        "ErrorNonExistentMailbox", Diagnoses.STEP_ADDRESS),
                row("folder that does not exist", Map.of("mail.incoming.mailboxes[0].folder", "Rechnungen"),
                        "ErrorFolderNotFound", Diagnoses.STEP_FOLDER),
                row("tenant ID mistyped", Map.of("mail.entra.tenant-id", "contoso_tenant"), "AADSTS900023",
                        Diagnoses.STEP_TENANT),
                row("secret expired", app(APP_EXPIRED), "AADSTS7000222", Diagnoses.STEP_SECRET),
                row("full_access_as_app not granted", app(APP_WITHOUT_ROLE), "HTTP 401", Diagnoses.STEP_CONSENT),
                row("EWS.AccessAsUser.All not consented", delegatedFor(NO_SCOPE), "AADSTS65001", Diagnoses.STEP_CONSENT),
                row("app not on the tenant's EWS allow list, Graph open to it",
                        with(app(APP_NOT_ALLOWED), "mail.check.retry-for", "PT1S"), Diagnoses.EWS_BLOCKED,
                        Diagnoses.STEP_EWS_BLOCKED),
                row("EWS refused and no Graph permission to tell why",
                        with(app(APP_NOT_ALLOWED_NOR_ON_GRAPH), "mail.check.retry-for", "PT1S"), "HTTP 403",
                        Diagnoses.STEP_EWS_ACCESS),
                row("wrong Exchange server, so an unknown resource",
                        Map.of("mail.exchange.server", "outlook.wrong.example.com"), "AADSTS500011",
                        Diagnoses.STEP_SERVER),
                row("application access policy excludes the mailbox",
                        Map.of("mail.incoming.mailboxes[0].address", DENIED), "ErrorImpersonateUserDenied",
                        Diagnoses.STEP_MAILBOX_ACCESS),
                row("throttled", Map.of("mail.incoming.mailboxes[0].address", BUSY), "ErrorServerBusy",
                        Diagnoses.STEP_THROTTLING),
                row("user does not exist", with(CheckRig.delegated(), "mail.incoming.mailboxes[0].username",
                        "nobody-here@contoso.com"), "AADSTS50034", Diagnoses.STEP_ACCOUNT),
                row("MFA required", delegatedFor(userFailing("AADSTS50076")), "AADSTS50076", Diagnoses.STEP_ACCOUNT),
                row("MFA registration required", delegatedFor(userFailing("AADSTS50079")), "AADSTS50079",
                        Diagnoses.STEP_ACCOUNT),
                row("admin consent missing", delegatedFor(userFailing("AADSTS65001")), "AADSTS65001",
                        Diagnoses.STEP_CONSENT),
                row("public client flows off", delegatedFor(userFailing("AADSTS7000218")), "AADSTS7000218",
                        Diagnoses.STEP_PUBLIC_CLIENT),
                row("account locked", delegatedFor(userFailing("AADSTS50053")), "AADSTS50053", Diagnoses.STEP_ACCOUNT),
                row("account disabled", delegatedFor(userFailing("AADSTS50057")), "AADSTS50057",
                        Diagnoses.STEP_ACCOUNT),
                row("Graph: mailbox address misspelt", graph(Map.of("mail.incoming.mailboxes[0].address",
                        "invoice@contoso.com")), "ErrorInvalidUser", Diagnoses.STEP_ADDRESS),
                row("Graph: user without an Exchange Online mailbox", graph(Map.of(
                        "mail.incoming.mailboxes[0].address", UNLICENSED)), "MailboxNotEnabledForRESTAPI",
                        Diagnoses.STEP_ADDRESS),
                row("Graph: Mail.ReadWrite not granted", graph(app(APP_WITHOUT_GRAPH_ROLES)), "ErrorAccessDenied",
                        Diagnoses.STEP_MAILBOX_ACCESS));
    }

    private static Map<String, String> graph(Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>(overrides);
        keys.put("mail.exchange.api", "graph");
        keys.put("mail.exchange.graph-url", simulator.graphUri().toString());
        return keys;
    }

    private static Map<String, String> app(String clientId) {
        return Map.of("mail.entra.client-id", clientId, "mail.entra.client-secret", OTHER_SECRET);
    }

    /** The user name/password flow polling only this user's own mailbox. */
    private static Map<String, String> delegatedFor(String user) {
        Map<String, String> keys = new HashMap<>(CheckRig.delegated());
        keys.put("mail.incoming.mailboxes[0].address", user);
        keys.put("mail.incoming.mailboxes[0].password", passwordOf(user));
        keys.put("mail.send.sender", "");
        keys.put("mail.send.password", "");
        return keys;
    }

    private static Arguments row(String mistake, Map<String, String> overrides, String code, String step) {
        return Arguments.of(mistake, overrides, code, step);
    }

    private static Map<String, String> with(Map<String, String> keys, String key, String value) {
        Map<String, String> copy = new HashMap<>(keys);
        copy.put(key, value);
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void theCheckNamesTheStep(String mistake, Map<String, String> overrides, String code, String step)
            throws IOException {
        CheckReport report = new CheckRig(simulator, dir, overrides).check.run(Optional.empty());
        answers.add(JSON.writeValueAsString(report));

        assertEquals("ERROR", report.result(), mistake);
        CheckOutcome failed = report.checks().stream().filter(outcome -> !outcome.ok()).findFirst().orElseThrow();
        assertEquals(code, failed.code(), () -> mistake + ": " + failed);
        assertEquals(step, failed.step(), mistake);
        assertFalse(failed.hint().isBlank());
        assertFalse(failed.message().isBlank());
    }

    @Test
    void aWorkingSetupPassesEveryCheckInBothFlows() throws IOException {
        for (Map<String, String> flow : List.of(Map.<String, String>of(), CheckRig.delegated())) {
            CheckReport report = new CheckRig(simulator, dir, flow).check.run(Optional.empty());
            answers.add(JSON.writeValueAsString(report));
            assertEquals("OK", report.result(), report::toString);
            assertTrue(report.checks().stream().anyMatch(outcome -> outcome.name().contains(SENDER)));
            assertTrue(report.checks().stream().anyMatch(outcome -> outcome.name().contains(INVOICES)));
        }
    }

    @Test
    void aMoveTargetNotYetCreatedIsFine() {
        CheckReport report = new CheckRig(simulator, dir, Map.of("mail.incoming.after-delivery", "move",
                "mail.incoming.move-to-folder", "Processed-" + UUID.randomUUID())).check.run(Optional.of(INVOICES));
        assertEquals("OK", report.result(), report::toString);
        assertEquals(2, report.checks().size() - 1, report::toString); // token, inbox, move target
    }

    @Test
    void a403RightAfterSetupIsRetriedUntilThePermissionsArrive() {
        simulator.failEws(ORDERS, 403, java.time.Duration.ofMillis(1500));
        CheckReport report = new CheckRig(simulator, dir, Map.of("mail.incoming.mailboxes[0].address", ORDERS))
                .check.run(Optional.of(ORDERS));
        assertEquals("OK", report.result(), report::toString);
    }

    @Test
    void testSendToARecipientExchangeRefusesIs422() throws IOException {
        TestSend.Result result = new CheckRig(simulator, dir, Map.of()).testSend.send(REFUSED_RECIPIENT,
                Optional.empty(), Optional.empty(), REQUESTER);
        answers.add(JSON.writeValueAsString(result));
        assertEquals("ErrorMailRecipientNotFound", result.code(), result::toString);
        assertEquals(Diagnoses.STEP_RECIPIENT, result.step());
        assertEquals(422, result.httpStatus());
    }

    @Test
    void anUnknownMailboxToCheckIsNamed() {
        CheckRig rig = new CheckRig(simulator, dir, Map.of());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> rig.check.run(Optional.of("someone@else.example")));
        assertTrue(error.getMessage().contains("mail.incoming.mailboxes"));
    }

    @Test
    void testSendDeliversToTheRecipientAndKeepsACopyInSentItems() throws IOException {
        String subject = "test " + UUID.randomUUID();
        TestSend.Result result = new CheckRig(simulator, dir, Map.of()).testSend.send(ORDERS, Optional.empty(),
                Optional.of(subject), REQUESTER);
        answers.add(JSON.writeValueAsString(result));

        assertEquals("OK", result.result(), result::toString);
        assertEquals(SENDER, result.from());
        assertTrue(containsSubject(ORDERS, "inbox", subject), "delivered to the recipient");
        assertTrue(containsSubject(SENDER, "sentitems", subject), "copy in Sent Items");
    }

    @Test
    void testSendAsSomeoneElseWithAUserTokenIsDenied() throws IOException {
        Map<String, String> keys = new HashMap<>(CheckRig.delegated());
        keys.put("mail.send.allowed-senders", INVOICES); // the daemon lets it through; Exchange refuses it
        TestSend.Result result = new CheckRig(simulator, dir, keys).testSend.send(ORDERS, Optional.of(INVOICES),
                Optional.empty(), REQUESTER);
        answers.add(JSON.writeValueAsString(result));

        assertEquals("ERROR", result.result());
        assertEquals("ErrorSendAsDenied", result.code(), result::toString);
        assertEquals(Diagnoses.STEP_SENDER, result.step());
    }

    @Test
    void testSendRefusesBadInputNamingTheField() {
        TestSend send = new CheckRig(simulator, dir, Map.of()).testSend;
        assertEquals("to", assertThrows(TestSend.InvalidRequest.class,
                () -> send.send(null, Optional.empty(), Optional.empty(), REQUESTER)).field());
        assertEquals("to", assertThrows(TestSend.InvalidRequest.class,
                () -> send.send("not an address", Optional.empty(), Optional.empty(), REQUESTER)).field());
        assertEquals("from", assertThrows(TestSend.InvalidRequest.class,
                () -> send.send(ORDERS, Optional.of("x@y"), Optional.empty(), REQUESTER)).field());
        assertEquals("subject", assertThrows(TestSend.InvalidRequest.class,
                () -> send.send(ORDERS, Optional.empty(), Optional.of("hi\r\nBcc: victim@example.com"),
                        REQUESTER)).field());
    }

    private static boolean containsSubject(String address, String folder, String subject) {
        return simulator.messages(address, folder).stream()
                .anyMatch(message -> new String(message.mime(), StandardCharsets.UTF_8).contains(subject));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
