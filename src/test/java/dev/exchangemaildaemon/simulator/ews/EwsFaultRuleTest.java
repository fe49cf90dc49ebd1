package dev.exchangemaildaemon.simulator.ews;

import static dev.exchangemaildaemon.simulator.SimulatorClient.ERRORS;
import static dev.exchangemaildaemon.simulator.SimulatorClient.TYPES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.element;
import static dev.exchangemaildaemon.simulator.SimulatorClient.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/** Throttling and transport faults, as resilience tests meet them, checked over raw HTTP. */
class EwsFaultRuleTest {

    private static final String APP = "1f2e3d4c-0000-4000-8000-0000000000b1";
    private static final String MAILBOX = "invoices@contoso.com";
    private static final String OTHER = "orders@contoso.com";
    private static final String GET_INBOX = "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape>"
            + "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>";
    private static final String FIND_FOLDERS = "<m:FindFolder Traversal=\"Shallow\"><m:FolderShape>"
            + "<t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:ParentFolderIds>"
            + "<t:DistinguishedFolderId Id=\"msgfolderroot\"/></m:ParentFolderIds></m:FindFolder>";

    private static ExchangeSimulator simulator;
    private static SimulatorClient client;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").addMailbox(MAILBOX).addMailbox(OTHER);
        client = new SimulatorClient(simulator);
        token = client.appToken(APP, "secret");
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @BeforeEach
    void reset() {
        simulator.clearFaults();
        simulator.resetCounters();
    }

    @Test
    void throttledRequestsGetErrorServerBusyWithTheBackOffThenRecover() throws Exception {
        simulator.throttle(MAILBOX, 2, 12_345);

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> busy = client.ews(token, MAILBOX, GET_INBOX);
            assertEquals(500, busy.statusCode());
            Document fault = xml(busy.body());
            assertEquals("a:ErrorServerBusy", element(fault, "", "faultcode").getTextContent());
            assertEquals("ErrorServerBusy", element(fault, ERRORS, "ResponseCode").getTextContent());
            assertEquals("BackOffMilliseconds", element(fault, TYPES, "Value").getAttribute("Name"));
            assertEquals("12345", element(fault, TYPES, "Value").getTextContent());
        }
        assertEquals(200, client.ews(token, MAILBOX, GET_INBOX).statusCode());
    }

    @Test
    void throttlingOneMailboxLeavesOthersAlone() throws Exception {
        simulator.throttle(MAILBOX, 1, 1_000);

        assertEquals(200, client.ews(token, OTHER, GET_INBOX).statusCode());
        assertEquals(500, client.ews(token, MAILBOX, GET_INBOX).statusCode());
    }

    @Test
    void serviceUnavailableAndTooManyRequestsCarryRetryAfter() throws Exception {
        simulator.ewsFault(HttpFault.serviceUnavailable(30)).ewsFault(HttpFault.tooManyRequests(5));

        HttpResponse<String> unavailable = client.ews(token, MAILBOX, GET_INBOX);
        HttpResponse<String> tooMany = client.ews(token, MAILBOX, GET_INBOX);

        assertEquals(503, unavailable.statusCode());
        assertEquals("30", unavailable.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(429, tooMany.statusCode());
        assertEquals("5", tooMany.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, client.ews(token, MAILBOX, GET_INBOX).statusCode());
    }

    @Test
    void faultNarrowedToAnOperationAndMailboxHitsOnlyThoseForItsCount() throws Exception {
        simulator.ewsFault(HttpFault.serviceUnavailable(1).operation("FindFolder").mailbox(MAILBOX).times(2));

        assertEquals(200, client.ews(token, MAILBOX, GET_INBOX).statusCode());
        assertEquals(200, client.ews(token, OTHER, FIND_FOLDERS).statusCode());
        assertEquals(503, client.ews(token, MAILBOX, FIND_FOLDERS).statusCode());
        assertEquals(503, client.ews(token, MAILBOX, FIND_FOLDERS).statusCode());
        assertEquals(200, client.ews(token, MAILBOX, FIND_FOLDERS).statusCode());
    }

    @Test
    void droppedConnectionIsAnIOExceptionAndTheNextRequestWorks() throws Exception {
        simulator.ewsFault(HttpFault.dropConnectionAfter(100));

        assertThrows(IOException.class, () -> client.ews(token, MAILBOX, GET_INBOX));
        assertEquals(200, client.ews(token, MAILBOX, GET_INBOX).statusCode());
    }

    @Test
    void truncatedAnswerIsACompleteResponseHoldingAnIncompleteDocument() throws Exception {
        simulator.ewsFault(HttpFault.truncateAfter(200));

        HttpResponse<String> truncated = client.ews(token, MAILBOX, GET_INBOX);

        assertEquals(200, truncated.statusCode());
        assertEquals("200", truncated.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(200, truncated.body().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(truncated.body().startsWith("<?xml"), truncated.body());
        assertThrows(SAXParseException.class, () -> DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(truncated.body().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void delayedAnswerComesAfterTheDelay() throws Exception {
        simulator.ewsFault(HttpFault.delay(Duration.ofMillis(400)));

        long start = System.nanoTime();
        HttpResponse<String> delayed = client.ews(token, MAILBOX, GET_INBOX);

        assertEquals(200, delayed.statusCode());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(400).toNanos());
    }

    @Test
    void requestsAreCountedPerOperationIncludingThoseAFaultHit() throws Exception {
        simulator.ewsFault(HttpFault.serviceUnavailable(1));
        client.ews(token, MAILBOX, GET_INBOX);
        client.ews(token, MAILBOX, GET_INBOX);
        client.ews(token, MAILBOX, FIND_FOLDERS);

        assertEquals(Map.of("GetFolder", 2, "FindFolder", 1), simulator.ewsRequestCounts());
    }
}
