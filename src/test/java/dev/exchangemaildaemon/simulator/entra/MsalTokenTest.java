package dev.exchangemaildaemon.simulator.entra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** The real MSAL4J client gets tokens from the simulator in both flows the daemon uses. */
class MsalTokenTest {

    private static final String CLIENT_ID = "0f7e3c1a-5b2d-4e8f-9a6b-1c2d3e4f5a6b";
    private static final String SECRET = "s3cr3t~value";
    private static final String USER = "erp@contoso.com";
    private static final Set<String> APP_SCOPES = Set.of("https://outlook.office365.com/.default");
    private static final Set<String> USER_SCOPES = Set.of("https://outlook.office365.com/EWS.AccessAsUser.All");

    private static ExchangeSimulator simulator;
    private static SSLSocketFactory sockets;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(CLIENT_ID, SECRET).registerUser(USER, "pa55word")
                .addMailbox(USER);
        sockets = SimulatorClient.trusting(simulator).getSocketFactory();
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @Test
    void clientCredentialsGivesAnAppOnlyTokenThatEwsAccepts() throws Exception {
        IAuthenticationResult result = confidential(SECRET, simulator.tenantId())
                .acquireToken(ClientCredentialParameters.builder(APP_SCOPES).build()).get();

        assertTrue(result.expiresOnDate().getTime() > System.currentTimeMillis() + 3_000_000L);
        var response = new SimulatorClient(simulator).ews(result.accessToken(), USER, getInbox());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(simulator.tokenRequests("client_credentials") >= 1);
    }

    @Test
    void passwordGrantGivesADelegatedTokenForTheUsersOwnMailbox() throws Exception {
        IAuthenticationResult result = publicClient().acquireToken(
                UserNamePasswordParameters.builder(USER_SCOPES, USER, "pa55word".toCharArray()).build()).get();

        assertEquals(USER, result.account().username());
        assertTrue(result.account().homeAccountId().endsWith("." + simulator.tenantId()), "built from client_info");
        var response = new SimulatorClient(simulator).ews(result.accessToken(), null, getInbox());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(USER, simulator.ewsRequests().get(simulator.ewsRequests().size() - 1).principal());
    }

    @Test
    void silentCallRenewsANearlyExpiredDelegatedTokenWithTheRefreshToken() throws Exception {
        simulator.tokenLifetime(Duration.ofMinutes(2));
        try {
            PublicClientApplication app = publicClient();
            IAuthenticationResult first = app.acquireToken(
                    UserNamePasswordParameters.builder(USER_SCOPES, USER, "pa55word".toCharArray()).build()).get();
            int refreshes = simulator.tokenRequests("refresh_token");

            // Without authorityUrl, MSAL 1.26 rebuilds the refresh authority from the account's environment, which
            // drops a non-default port such as the simulator's.
            IAuthenticationResult renewed = app.acquireTokenSilently(SilentParameters.builder(USER_SCOPES, first.account())
                    .authorityUrl(authority(simulator.tenantId())).build()).get();

            assertEquals(refreshes + 1, simulator.tokenRequests("refresh_token"), "MSAL renews within 5 minutes");
            assertNotEquals(first.accessToken(), renewed.accessToken());
            assertEquals(200, new SimulatorClient(simulator).ews(renewed.accessToken(), null, getInbox()).statusCode());
        } finally {
            simulator.tokenLifetime(Duration.ofHours(1));
        }
    }

    @Test
    void wrongSecretIsAadsts7000215() throws Exception {
        MsalServiceException refused = refusal(confidential("wrong", simulator.tenantId())
                .acquireToken(ClientCredentialParameters.builder(APP_SCOPES).build()));

        assertEquals("invalid_client", refused.errorCode());
        assertEquals(401, refused.statusCode());
        assertTrue(refused.getMessage().contains("AADSTS7000215"), refused.getMessage());
    }

    @Test
    void wrongPasswordIsAadsts50126() throws Exception {
        MsalServiceException refused = refusal(publicClient().acquireToken(
                UserNamePasswordParameters.builder(USER_SCOPES, USER, "wrong".toCharArray()).build()));

        assertEquals("invalid_grant", refused.errorCode());
        assertTrue(refused.getMessage().contains("AADSTS50126"), refused.getMessage());
    }

    @Test
    void unknownTenantIsAadsts90002() throws Exception {
        MsalServiceException refused = refusal(confidential(SECRET, "00000000-0000-0000-0000-000000000001")
                .acquireToken(ClientCredentialParameters.builder(APP_SCOPES).build()));

        assertTrue(refused.getMessage().contains("AADSTS90002"), refused.getMessage());
    }

    @Test
    void unknownClientIsAadsts700016() throws Exception {
        ConfidentialClientApplication unknown = ConfidentialClientApplication
                .builder("11111111-0000-0000-0000-000000000000", ClientCredentialFactory.createFromSecret(SECRET))
                .authority(authority(simulator.tenantId())).instanceDiscovery(false).validateAuthority(false)
                .sslSocketFactory(sockets).build();

        MsalServiceException refused = refusal(
                unknown.acquireToken(ClientCredentialParameters.builder(APP_SCOPES).build()));

        assertEquals("unauthorized_client", refused.errorCode());
        assertTrue(refused.getMessage().contains("AADSTS700016"), refused.getMessage());
    }

    private static ConfidentialClientApplication confidential(String secret, String tenant) throws Exception {
        return ConfidentialClientApplication.builder(CLIENT_ID, ClientCredentialFactory.createFromSecret(secret))
                .authority(authority(tenant)).instanceDiscovery(false).validateAuthority(false)
                .sslSocketFactory(sockets).build();
    }

    private static PublicClientApplication publicClient() throws Exception {
        return PublicClientApplication.builder(CLIENT_ID)
                .authority(authority(simulator.tenantId())).instanceDiscovery(false).validateAuthority(false)
                .sslSocketFactory(sockets).build();
    }

    private static String authority(String tenant) {
        return simulator.baseUri() + "/" + tenant + "/";
    }

    private static MsalServiceException refusal(CompletableFuture<IAuthenticationResult> call) {
        ExecutionException failed = assertThrows(ExecutionException.class, call::get);
        return assertInstanceOf(MsalServiceException.class, failed.getCause());
    }

    private static String getInbox() {
        return "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>"
                + "<m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>";
    }
}
