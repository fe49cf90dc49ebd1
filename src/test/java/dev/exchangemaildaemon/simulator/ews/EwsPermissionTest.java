package dev.exchangemaildaemon.simulator.ews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** Tokens without EWS permissions, blocked apps, propagation delays and revocation, answered as Exchange Online. */
class EwsPermissionTest {

    private static final String APP = "9d8c7b6a-0000-4000-8000-0000000000a1";
    private static final String OTHER_APP = "9d8c7b6a-0000-4000-8000-0000000000a2";
    private static final String USER = "erp@contoso.com";
    private static final String SHARED = "orders@contoso.com";
    private static final String GET_INBOX = "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
            + "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>";
    private static final String NO_PERMISSION = "2000008;reason=\"The token contains no permissions, or permissions"
            + " can not be understood.\";error_category=\"invalid_grant\"";

    private static ExchangeSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").registerApp(OTHER_APP, "secret")
                .registerUser(USER, "pw").addMailbox(USER).addMailbox(SHARED);
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @BeforeEach
    void reset() {
        simulator.clearFaults();
        simulator.resetCounters();
        simulator.appRoles(APP, "full_access_as_app").userScopes(USER, "EWS.AccessAsUser.All");
    }

    @Test
    void appWithoutFullAccessAsAppGetsATokenThatEwsRefuses() throws Exception {
        simulator.appRoles(APP, "Mail.Read");
        String token = client.appToken(APP, "secret");

        assertRefusedForPermission(client.ews(token, SHARED, GET_INBOX));
        assertTrue(simulator.ewsRequests().stream().noneMatch(request -> request.principal().equals(APP)));
    }

    @Test
    void userTokenWithoutEwsAccessAsUserIsRefusedByEws() throws Exception {
        simulator.userScopes(USER, "Mail.Read");
        String token = client.userToken(APP, USER, "pw", "https://outlook.office365.com/.default openid");

        assertRefusedForPermission(client.ews(token, null, GET_INBOX));
    }

    @Test
    void grantingThePermissionLetsANewTokenIn() throws Exception {
        simulator.appRoles(APP);
        assertEquals(401, client.ews(client.appToken(APP, "secret"), SHARED, GET_INBOX).statusCode());

        simulator.appRoles(APP, "full_access_as_app");

        assertEquals(200, client.ews(client.appToken(APP, "secret"), SHARED, GET_INBOX).statusCode());
    }

    @Test
    void blockedAppGets403WithAnEmptyBodyWhileOthersGetThrough() throws Exception {
        simulator.blockEws(APP);

        HttpResponse<String> blocked = client.ews(client.appToken(APP, "secret"), SHARED, GET_INBOX);

        assertEquals(403, blocked.statusCode());
        assertEquals("", blocked.body());
        assertEquals(200, client.ews(client.appToken(OTHER_APP, "secret"), SHARED, GET_INBOX).statusCode());
    }

    @Test
    void ewsDisabledForTheTenantBlocksEveryAppAndUser() throws Exception {
        simulator.blockEws(null);

        assertEquals(403, client.ews(client.appToken(OTHER_APP, "secret"), SHARED, GET_INBOX).statusCode());
        assertEquals(403, client.ews(client.userToken(APP, USER, "pw"), null, GET_INBOX).statusCode());
    }

    @Test
    void failEwsAnswersThatStatusForTheWindowThenRecovers() throws Exception {
        String token = client.appToken(APP, "secret");
        simulator.failEws(SHARED, 403, Duration.ofMillis(700));

        assertEquals(403, client.ews(token, SHARED, GET_INBOX).statusCode());
        assertEquals(200, client.ews(token, USER, GET_INBOX).statusCode(), "another mailbox is not hit");
        Thread.sleep(800);
        assertEquals(200, client.ews(token, SHARED, GET_INBOX).statusCode());
    }

    @Test
    void revokedTokensGet401AndANewTokenWorks() throws Exception {
        String appToken = client.appToken(APP, "secret");
        String userToken = client.userToken(APP, USER, "pw");

        simulator.revokeTokens();

        HttpResponse<String> revoked = client.ews(appToken, SHARED, GET_INBOX);
        assertEquals(401, revoked.statusCode());
        assertTrue(revoked.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
        assertEquals(401, client.ews(userToken, null, GET_INBOX).statusCode());
        assertEquals(200, client.ews(client.appToken(APP, "secret"), SHARED, GET_INBOX).statusCode());
    }

    private static void assertRefusedForPermission(HttpResponse<String> response) {
        assertEquals(401, response.statusCode());
        assertEquals(NO_PERMISSION, response.headers().firstValue("x-ms-diagnostics").orElseThrow());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\""), challenge);
        assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
    }
}
