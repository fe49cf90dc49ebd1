package dev.exchangemaildaemon.simulator.ews;

import static dev.exchangemaildaemon.simulator.SimulatorClient.MESSAGES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.TYPES;
import static dev.exchangemaildaemon.simulator.SimulatorClient.element;
import static dev.exchangemaildaemon.simulator.SimulatorClient.elements;
import static dev.exchangemaildaemon.simulator.SimulatorClient.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/**
 * FindItem answers at most 1,000 items, as Exchange Online's EWSFindCountLimit allows, however many a page asks
 * for; an unpaged request over the limit fails. The daemon's EWS client pages through a larger folder.
 */
class FindItemLimitTest {

    private static final int UNREAD = 2001;
    private static final String MAILBOX = SimulatorResource.INVOICES;

    private static ExchangeSimulator simulator;
    private static SimulatorClient client;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0)
                .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET).addMailbox(MAILBOX);
        for (int i = 0; i < UNREAD; i++) {
            simulator.deliver(MAILBOX, "inbox", ("Message-ID: <m" + i + "@x>\r\n\r\nbody\r\n")
                    .getBytes(StandardCharsets.UTF_8), false);
        }
        client = new SimulatorClient(simulator);
        token = client.appToken(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static Document findItem(String view) throws Exception {
        String body = client.ews(token, MAILBOX, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
                + "<t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>" + view
                + "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>")
                .body();
        return xml(body);
    }

    private static void assertFirstThousand(Document answer) {
        Element root = element(answer, MESSAGES, "RootFolder");
        assertEquals(1000, elements(answer, TYPES, "Message").size());
        assertEquals("false", root.getAttribute("IncludesLastItemInRange"));
        assertEquals("1000", root.getAttribute("IndexedPagingOffset"));
        assertEquals(Integer.toString(UNREAD), root.getAttribute("TotalItemsInView"));
    }

    @Test
    void aPageHoldsAtMostAThousandItemsWhateverItAsks() throws Exception {
        assertFirstThousand(findItem(
                "<m:IndexedPageItemView MaxEntriesReturned=\"5000\" Offset=\"0\" BasePoint=\"Beginning\"/>"));
        assertFirstThousand(findItem("<m:IndexedPageItemView Offset=\"0\" BasePoint=\"Beginning\"/>"));

        Document last = findItem(
                "<m:IndexedPageItemView MaxEntriesReturned=\"5000\" Offset=\"2000\" BasePoint=\"Beginning\"/>");
        assertEquals(1, elements(last, TYPES, "Message").size());
        assertEquals("true", element(last, MESSAGES, "RootFolder").getAttribute("IncludesLastItemInRange"));
    }

    @Test
    void anUnpagedFindOverTheLimitFails() throws Exception {
        Document answer = findItem("");

        assertEquals("ErrorExceededFindCountLimit", element(answer, MESSAGES, "ResponseCode").getTextContent());
        assertEquals("Error", element(answer, MESSAGES, "FindItemResponseMessage").getAttribute("ResponseClass"));
    }

    @Test
    void theDaemonPagesThroughMoreThanAThousandUnread(@TempDir Path dir) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of());
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        Mailbox mailbox = new EwsConnector(config, tls).connect(MAILBOX,
                new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry()).forUser(MAILBOX, ""));
        simulator.resetCounters();

        List<MessageRef> unread = mailbox.findUnread("inbox");

        assertEquals(UNREAD, unread.size());
        assertEquals(UNREAD, new HashSet<>(unread.stream().map(MessageRef::id).toList()).size());
        assertEquals("<m0@x>", unread.get(0).internetMessageId().orElseThrow());
        assertEquals("<m" + (UNREAD - 1) + "@x>", unread.get(UNREAD - 1).internetMessageId().orElseThrow());
        assertEquals(3, simulator.ewsRequestCounts().get("FindItem"));
    }
}
