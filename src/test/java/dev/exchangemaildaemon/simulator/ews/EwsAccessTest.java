package dev.exchangemaildaemon.simulator.ews;

import static dev.exchangemaildaemon.simulator.SimulatorClient.ERRORS;
import static dev.exchangemaildaemon.simulator.SimulatorClient.MESSAGES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.element;
import static dev.exchangemaildaemon.simulator.SimulatorClient.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import dev.exchangemaildaemon.simulator.EwsRequestRecord;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** Bearer tokens, impersonation and injected faults, checked as Exchange Online checks them. */
class EwsAccessTest {

    private static final String APP = "7c9d0e1f-0000-4000-8000-00000000beef";
    private static final String USER = "erp@contoso.com";
    private static final String SHARED = "orders@contoso.com";
    private static final String GET_INBOX = "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape>"
            + "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>";

    private static ExchangeSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").registerUser(USER, "pw")
                .addMailbox(USER).addMailbox(SHARED);
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
        simulator.tokenLifetime(Duration.ofHours(1));
    }

    @Test
    void absentOrUnknownTokenIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> absent = client.ews(null, SHARED, GET_INBOX);
        HttpResponse<String> unknown = client.ews("not-a-token", SHARED, GET_INBOX);

        assertEquals(401, absent.statusCode());
        assertTrue(absent.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer "));
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
        assertTrue(simulator.ewsRequests().isEmpty());
    }

    @Test
    void expiredTokenIs401() throws Exception {
        simulator.tokenLifetime(Duration.ofSeconds(1));
        String token = client.appToken(APP, "secret");
        Thread.sleep(1_100);

        assertEquals(401, client.ews(token, SHARED, GET_INBOX).statusCode());
    }

    @Test
    void appOnlyTokenReachesTheImpersonatedMailboxAndIsRecorded() throws Exception {
        String token = client.appToken(APP, "secret");

        assertEquals(200, client.ews(token, SHARED, GET_INBOX).statusCode());
        assertEquals(List.of(new EwsRequestRecord("GetFolder", APP, SHARED, null)), simulator.ewsRequests());
        assertEquals(1, simulator.tokenRequests("client_credentials"));
    }

    @Test
    void appOnlyTokenWithoutImpersonationIsRefused() throws Exception {
        Document fault = fault(client.ews(client.appToken(APP, "secret"), null, GET_INBOX));

        assertEquals("ErrorInvalidExchangeImpersonationHeaderData", element(fault, ERRORS, "ResponseCode")
                .getTextContent());
    }

    @Test
    void delegatedTokenReachesOwnMailboxButMayNotImpersonate() throws Exception {
        String token = client.userToken(APP, USER, "pw");

        assertEquals(200, client.ews(token, null, GET_INBOX).statusCode());
        Document fault = fault(client.ews(token, SHARED, GET_INBOX));
        assertEquals("ErrorImpersonateUserDenied", element(fault, ERRORS, "ResponseCode").getTextContent());
    }

    @Test
    void impersonatingAnUnknownMailboxIsANonExistentMailboxFault() throws Exception {
        Document fault = fault(client.ews(client.appToken(APP, "secret"), "nobody@contoso.com", GET_INBOX));

        assertEquals("a:ErrorNonExistentMailbox", element(fault, "", "faultcode").getTextContent());
        assertEquals("ErrorNonExistentMailbox", element(fault, ERRORS, "ResponseCode").getTextContent());
        assertEquals("nobody@contoso.com", element(fault, SimulatorClient.TYPES, "Value").getTextContent());
    }

    @Test
    void failedMailboxFailsEveryCallAsExchangeDoes() throws Exception {
        String token = client.appToken(APP, "secret");
        simulator.failMailbox(SHARED, "ErrorNonExistentMailbox");
        assertEquals("ErrorNonExistentMailbox", element(fault(client.ews(token, SHARED, GET_INBOX)), ERRORS,
                "ResponseCode").getTextContent());

        simulator.failMailbox(SHARED, "ErrorMailboxStoreUnavailable");
        HttpResponse<String> perMessage = client.ews(token, SHARED, GET_INBOX);
        assertEquals(200, perMessage.statusCode());
        assertEquals("Error", element(xml(perMessage.body()), MESSAGES, "GetFolderResponseMessage")
                .getAttribute("ResponseClass"));

        simulator.clearFaults();
        assertEquals(200, client.ews(token, SHARED, GET_INBOX).statusCode());
    }

    @Test
    void requestWithoutServerVersionOrWithADoctypeIsRefused() throws Exception {
        String token = client.appToken(APP, "secret");
        String noVersion = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soap:Body><m:GetFolder xmlns:m=\"" + MESSAGES + "\"/></soap:Body></soap:Envelope>";
        String doctype = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>&e;"
                + "</soap:Body></soap:Envelope>";

        assertEquals("ErrorSchemaValidation", element(fault(client.ewsRaw(token, noVersion)), ERRORS, "ResponseCode")
                .getTextContent());
        assertEquals("ErrorSchemaValidation", element(fault(client.ewsRaw(token, doctype)), ERRORS, "ResponseCode")
                .getTextContent());
    }

    private static Document fault(HttpResponse<String> response) {
        assertEquals(500, response.statusCode(), response.body());
        return xml(response.body());
    }
}
