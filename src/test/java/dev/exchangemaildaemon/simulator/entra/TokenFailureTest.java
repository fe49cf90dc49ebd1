package dev.exchangemaildaemon.simulator.entra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** Injected and natural token failures reach the real MSAL4J client as Entra ID's errors do. */
class TokenFailureTest {

    private static final String CLIENT_ID = "3b2a1c0d-6e5f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final String SECRET = "s3cr3t";
    private static final String USER = "erp@contoso.com";
    private static final String PASSWORD = "pa55word";
    private static final Set<String> APP_SCOPES = Set.of("https://outlook.office365.com/.default");
    private static final Set<String> USER_SCOPES = Set.of("https://outlook.office365.com/EWS.AccessAsUser.All");

    private static ExchangeSimulator simulator;
    private static SSLSocketFactory sockets;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(CLIENT_ID, SECRET).registerUser(USER, PASSWORD)
                .addMailbox(USER);
        sockets = SimulatorClient.trusting(simulator).getSocketFactory();
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @AfterEach
    void clear() {
        simulator.clearFaults();
    }

    @ParameterizedTest
    @CsvSource({
        "AADSTS7000215, 401, invalid_client",
        "AADSTS7000222, 401, invalid_client",
        "AADSTS700016, 400, unauthorized_client",
        "AADSTS90002, 400, invalid_request",
        "AADSTS900023, 400, invalid_request",
        "AADSTS500011, 400, invalid_resource"})
    void appFailuresReachMsalWithTheirCode(String code, int status, String error) throws Exception {
        simulator.failTokens(CLIENT_ID, code);

        MsalServiceException refused = refusal(confidential(SECRET, simulator.tenantId()));

        assertRefusedWith(refused, code, status, error);
    }

    @ParameterizedTest
    @CsvSource({
        "AADSTS50126, 400, invalid_grant",
        "AADSTS50076, 400, invalid_grant",
        "AADSTS50079, 400, invalid_grant",
        "AADSTS65001, 400, invalid_grant",
        "AADSTS50034, 400, invalid_grant",
        "AADSTS50053, 400, invalid_grant",
        "AADSTS50057, 400, invalid_grant"})
    void userFailuresReachMsalWithTheirCode(String code, int status, String error) throws Exception {
        simulator.failTokens(USER, code);

        MsalServiceException refused = refusal(passwordGrant(USER_SCOPES, USER, PASSWORD));

        // MSAL4J leaves statusCode() unset for invalid_grant, so the status is checked on the wire.
        assertTrue(refused.getMessage().startsWith(code + ": "), refused.getMessage());
        assertEquals(error, refused.errorCode());
        assertEquals(status, passwordGrantOnTheWire().statusCode());
    }

    @Test
    void publicClientFlowsOffIsAadsts7000218ForThePasswordGrant() throws Exception {
        simulator.failTokens(CLIENT_ID, "7000218");

        assertRefusedWith(refusal(passwordGrant(USER_SCOPES, USER, PASSWORD)), "AADSTS7000218", 401,
                "invalid_client");
    }

    @Test
    void clearFaultsLetsTokensThroughAgain() throws Exception {
        simulator.failTokens(USER, "AADSTS50053");
        refusal(passwordGrant(USER_SCOPES, USER, PASSWORD));

        simulator.clearFaults();

        assertEquals(USER, passwordGrant(USER_SCOPES, USER, PASSWORD).get().account().username());
    }

    @Test
    void mfaRequiredHasEntraIdsWholeShape() throws Exception {
        simulator.failTokens(USER, "AADSTS50076");
        HttpResponse<String> response = passwordGrantOnTheWire();

        assertEquals(400, response.statusCode());
        String body = response.body();
        assertTrue(body.contains("\"error\":\"invalid_grant\""), body);
        assertTrue(body.contains("\"error_description\":\"AADSTS50076: Due to a configuration change made by your"
                + " administrator, or because you moved to a new location, you must use multi-factor authentication"
                + " to access '00000002-0000-0ff1-ce00-000000000000'.\\r\\nTrace ID: "), body);
        assertTrue(body.contains("\"error_codes\":[50076]"), body);
        assertTrue(body.matches(".*\"timestamp\":\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\".*"), body);
        assertTrue(body.contains("\"trace_id\":\""), body);
        assertTrue(body.contains("\"correlation_id\":\""), body);
        assertTrue(body.contains("\"suberror\":\"basic_action\""), body);
        assertEquals("no-store, no-cache", response.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void unknownCodeIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> simulator.failTokens(USER, "AADSTS12345"));
    }

    @Test
    void malformedTenantIsAadsts900023AndAnUnknownDomainAadsts90002() throws Exception {
        assertRefusedWith(refusal(confidential(SECRET, "not_a_tenant")), "AADSTS900023", 400, "invalid_request");
        assertRefusedWith(refusal(confidential(SECRET, "fabrikam.onmicrosoft.com")), "AADSTS90002", 400,
                "invalid_request");
    }

    @Test
    void scopeForAnUnknownResourceIsAadsts500011InBothFlows() throws Exception {
        Set<String> wrong = Set.of("https://wrong.example.com/.default");
        ConfidentialClientApplication app = application(SECRET, simulator.tenantId());

        assertRefusedWith(refusal(app.acquireToken(ClientCredentialParameters.builder(wrong).build())),
                "AADSTS500011", 400, "invalid_resource");
        assertRefusedWith(refusal(passwordGrant(wrong, USER, PASSWORD)), "AADSTS500011", 400, "invalid_resource");
    }

    @Test
    void unknownUserIsAadsts50034AndAnUnconsentedScopeAadsts65001() throws Exception {
        MsalServiceException unknown = refusal(passwordGrant(USER_SCOPES, "nobody@contoso.com", PASSWORD));
        MsalServiceException unconsented = refusal(passwordGrant(Set.of("https://outlook.office365.com/Mail.Read"),
                USER, PASSWORD));

        assertTrue(unknown.getMessage().startsWith("AADSTS50034: "), unknown.getMessage());
        assertTrue(unconsented.getMessage().startsWith("AADSTS65001: "), unconsented.getMessage());
        assertEquals("invalid_grant", unconsented.errorCode());
    }

    private static HttpResponse<String> passwordGrantOnTheWire() throws Exception {
        return new SimulatorClient(simulator).token(Map.of("grant_type", "password", "client_id", CLIENT_ID,
                "username", USER, "password", PASSWORD,
                "scope", "https://outlook.office365.com/EWS.AccessAsUser.All"));
    }

    private static void assertRefusedWith(MsalServiceException refused, String code, int status, String error) {
        assertTrue(refused.getMessage().startsWith(code + ": "), refused.getMessage());
        assertEquals(status, refused.statusCode(), refused.getMessage());
        assertEquals(error, refused.errorCode());
    }

    private static CompletableFuture<IAuthenticationResult> confidential(String secret, String tenant)
            throws Exception {
        return application(secret, tenant).acquireToken(ClientCredentialParameters.builder(APP_SCOPES).build());
    }

    private static ConfidentialClientApplication application(String secret, String tenant) throws Exception {
        return ConfidentialClientApplication.builder(CLIENT_ID, ClientCredentialFactory.createFromSecret(secret))
                .authority(authority(tenant)).instanceDiscovery(false).validateAuthority(false)
                .sslSocketFactory(sockets).build();
    }

    private static CompletableFuture<IAuthenticationResult> passwordGrant(Set<String> scopes, String user,
                                                                          String password) throws Exception {
        return PublicClientApplication.builder(CLIENT_ID)
                .authority(authority(simulator.tenantId())).instanceDiscovery(false).validateAuthority(false)
                .sslSocketFactory(sockets).build()
                .acquireToken(UserNamePasswordParameters.builder(scopes, user, password.toCharArray()).build());
    }

    private static String authority(String tenant) {
        return simulator.baseUri() + "/" + tenant + "/";
    }

    private static MsalServiceException refusal(CompletableFuture<IAuthenticationResult> call) {
        ExecutionException failed = assertThrows(ExecutionException.class, call::get);
        return assertInstanceOf(MsalServiceException.class, failed.getCause());
    }
}
