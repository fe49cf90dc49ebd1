package dev.exchangemaildaemon.ews;

import static dev.exchangemaildaemon.ews.FakeEws.response;
import static dev.exchangemaildaemon.ews.FakeEws.soap;
import static dev.exchangemaildaemon.ews.FakeEws.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import dev.exchangemaildaemon.ews.FakeEws.Received;
import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MailboxException.Kind;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;
import dev.exchangemaildaemon.net.TransportFailures;

/** Authentication, impersonation and every way a request can fail. */
class EwsClientTest {

    private static final String FOLDER_FOUND = response("GetFolder", success("GetFolder",
            "<m:Folders><t:Folder><t:FolderId Id=\"AAMkInbox\" ChangeKey=\"AQAA\"/></t:Folder></m:Folders>"));

    private final FakeEws ews = startServer();

    @AfterEach
    void stop() {
        ews.close();
    }

    @Test
    void appOnlyTokenImpersonatesTheMailbox() throws Exception {
        ews.answer(200, FOLDER_FOUND);

        ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox");

        Received request = ews.received().get(0);
        assertEquals("user@example.com", request.headers().getFirst("X-AnchorMailbox"));
        assertEquals(List.of("user@example.com"), request.elements(Namespaces.TYPES, "PrimarySmtpAddress").stream()
                .map(e -> e.getTextContent()).toList());
        assertEquals("ConnectingSID", ((Element) request.elements(Namespaces.TYPES, "PrimarySmtpAddress")
                .get(0).getParentNode()).getLocalName());
        assertEquals("Bearer token-1", request.headers().getFirst("Authorization"));
        assertEquals("text/xml; charset=utf-8", request.headers().getFirst("Content-Type"));
        assertEquals("Exchange2013_SP1",
                request.elements(Namespaces.TYPES, "RequestServerVersion").get(0).getAttribute("Version"));
    }

    @Test
    void delegatedTokenDoesNotImpersonate() throws Exception {
        ews.answer(200, FOLDER_FOUND);

        ews.mailbox("user@example.com", new FakeTokens(false)).checkFolder("inbox");

        Received request = ews.received().get(0);
        assertNull(request.headers().getFirst("X-AnchorMailbox"));
        assertEquals(0, request.elements(Namespaces.TYPES, "ExchangeImpersonation").size());
        assertEquals(1, request.elements(Namespaces.TYPES, "RequestServerVersion").size());
    }

    @Test
    void refusedTokenIsReplacedOnce() throws Exception {
        ews.answer(401, "").answer(200, FOLDER_FOUND);
        FakeTokens tokens = new FakeTokens(true);

        ews.mailbox("user@example.com", tokens).checkFolder("inbox");

        assertEquals(List.of("token-1"), tokens.refused());
        assertEquals(List.of("Bearer token-1", "Bearer token-2"),
                ews.received().stream().map(r -> r.headers().getFirst("Authorization")).toList());
    }

    @Test
    void tokenRefusedTwiceIsAnAuthError() throws Exception {
        ews.answer(401, "").answer(exchange -> {
            exchange.getResponseHeaders().set("x-ms-diagnostics", "2000008;reason=\"The token has expired.\"");
            exchange.sendResponseHeaders(401, -1);
        });
        FakeTokens tokens = new FakeTokens(true);

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("user@example.com", tokens).checkFolder("inbox"));

        assertEquals("HTTP 401", e.code());
        assertEquals(Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("The token has expired."), e.getMessage());
        assertEquals(List.of("token-1"), tokens.refused());
        assertEquals(2, ews.received().size());
    }

    @Test
    void soapFaultInHttp500CarriesTheResponseCode() throws Exception {
        ews.answer(500, soap("""
                <s:Fault>
                  <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorNonExistentMailbox</faultcode>
                  <faultstring xml:lang="en-US">The SMTP address has no mailbox associated with it.</faultstring>
                  <detail>
                    <e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorNonExistentMailbox</e:ResponseCode>
                    <e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The SMTP address has no mailbox associated with it.</e:Message>
                  </detail>
                </s:Fault>
                """));

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("nobody@example.com", new FakeTokens(true)).checkFolder("inbox"));

        assertEquals("ErrorNonExistentMailbox", e.code());
        assertEquals(Kind.PERMANENT, e.kind());
        assertTrue(e.getMessage().contains("The SMTP address has no mailbox associated with it."), e.getMessage());
    }

    @Test
    void throttlingFaultCarriesTheBackOff() throws Exception {
        ews.answer(500, soap("""
                <s:Fault>
                  <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>
                  <faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>
                  <detail>
                    <e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>
                    <e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The server cannot service this request right now. Try again later.</e:Message>
                    <t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
                      <t:Value Name="BackOffMilliseconds">297749</t:Value>
                    </t:MessageXml>
                  </detail>
                </s:Fault>
                """));

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("user@example.com", new FakeTokens(true)).findUnread("inbox"));

        assertEquals("ErrorServerBusy", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(Optional.of(Duration.ofMillis(297749)), e.backOff());
        assertEquals(List.of(), ews.waits, "a back-off of five minutes is left to the poller");
        assertEquals(1, ews.received().size());
    }

    @Test
    void throttlingFaultIsRetriedAfterTheBackOffTheServerAskedFor() throws Exception {
        ews.answer(500, serverBusy(1500)).answer(500, serverBusy(2500)).answer(200, FOLDER_FOUND);

        ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox");

        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofMillis(2500)), ews.waits);
        assertEquals(2, ews.requests("GetFolder", "ErrorServerBusy"));
        assertEquals(1, ews.requests("GetFolder", "success"));
        assertEquals(2, ews.meters.get("exchange_mail_request_retries").tags("reason", "ErrorServerBusy").counter().count());
        assertEquals(4.0, ews.meters.get("exchange_mail_request_backoff").counter().count(), 1e-9);
    }

    @Test
    void errorResponseMessageOfASingleTargetIsThrown() throws Exception {
        ews.answer(200, response("GetFolder", FakeEws.error("GetFolder", "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.", "")));

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox"));

        assertEquals("ErrorAccessDenied", e.code());
        assertEquals(Kind.AUTH, e.kind());
    }

    @Test
    void tooManyRequestsAndUnavailableHonourRetryAfter() throws Exception {
        ews.answer(retryAfter(429, "7")).answer(retryAfter(503, "3")).answer(200, FOLDER_FOUND);

        ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox");

        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(3)), ews.waits);
        assertEquals(1, ews.requests("GetFolder", "HTTP 429"));
        assertEquals(1, ews.requests("GetFolder", "HTTP 503"));
    }

    @Test
    void retryAfterBeyondAMinuteIsThrownWithItsBackOff() throws Exception {
        ews.answer(retryAfter(503, "120"));

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox"));

        assertEquals("HTTP 503", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(Optional.of(Duration.ofSeconds(120)), e.backOff());
        assertEquals(List.of(), ews.waits);
    }

    @Test
    void http500WithoutSoapIsTransientAndRetriedWithGrowingWaitsUntilTheAttemptsRunOut() throws Exception {
        for (int i = 0; i < EwsRetries.MAX_ATTEMPTS; i++) {
            ews.answer(500, "<html><body>Service Unavailable</body></html>");
        }

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox"));

        assertEquals("HTTP 500", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(EwsRetries.MAX_ATTEMPTS, ews.received().size());
        assertEquals(EwsRetries.MAX_ATTEMPTS - 1, ews.waits.size());
        for (int i = 0; i < ews.waits.size(); i++) {
            long ceiling = 1000L << i;
            long wait = ews.waits.get(i).toMillis();
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, "wait " + (i + 1) + ": " + wait + " ms");
        }
    }

    @Test
    void aSendWhoseAnswerWasLostIsNotRepeated() throws Exception {
        ews.answer(exchange -> {
            exchange.sendResponseHeaders(200, 2000);
            exchange.getResponseBody().write("<?xml version=\"1.0\"?><s:Env".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            throw new IOException("connection dropped");
        });

        MailboxException e = assertThrows(MailboxException.class, () -> ews.mailbox("erp@example.com",
                new FakeTokens(true)).send(new OutgoingMessage("erp@example.com", List.of("a@example.com"), "s", "b")));

        assertEquals("CONNECTION", e.code());
        assertEquals(1, ews.received().size(), "the server may have sent it: never again");
        assertEquals(List.of(), ews.waits);
    }

    @Test
    void aThrottledSendIsRetried() throws Exception {
        ews.answer(500, serverBusy(800)).answer(200, response("CreateItem", success("CreateItem", "<m:Items/>")));

        ews.mailbox("erp@example.com", new FakeTokens(true))
                .send(new OutgoingMessage("erp@example.com", List.of("a@example.com"), "s", "b"));

        assertEquals(List.of(Duration.ofMillis(800)), ews.waits);
        assertEquals(2, ews.received().size());
    }

    @Test
    void aRefusedTokenIsReplacedWithinARetriedRequest() throws Exception {
        ews.answer(retryAfter(503, "1")).answer(401, "").answer(200, FOLDER_FOUND);
        FakeTokens tokens = new FakeTokens(true);

        ews.mailbox("user@example.com", tokens).checkFolder("inbox");

        assertEquals(List.of("token-1"), tokens.refused());
        assertEquals(List.of("Bearer token-1", "Bearer token-1", "Bearer token-2"),
                ews.received().stream().map(r -> r.headers().getFirst("Authorization")).toList());
        assertEquals(1, ews.requests("GetFolder", "HTTP 401"));
    }

    @Test
    void localDeliveryFailureIsNotRetried() throws Exception {
        ews.answer(200, response("GetItem", success("GetItem",
                "<m:Items><t:Message><t:MimeContent CharacterSet=\"UTF-8\">SGVsbG8=</t:MimeContent></t:Message></m:Items>")));

        MailboxException e = assertThrows(MailboxException.class, () -> ews.mailbox("user@example.com",
                new FakeTokens(true)).fetchMime(List.of(EwsMailboxTest.ref("AAMk1", 5)), (message, mime) -> {
                    throw new IOException("No space left on device");
                }));

        assertEquals(MailboxException.LOCAL_DELIVERY, e.code());
        assertEquals(1, ews.received().size());
    }

    @Test
    void responseWithADtdIsRefused() throws Exception {
        for (int i = 0; i < EwsRetries.MAX_ATTEMPTS; i++) {
            ews.answer(200, withDtd());
        }

        MailboxException e = assertThrows(MailboxException.class,
                () -> ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox"));

        assertEquals(TransportFailures.BAD_RESPONSE, e.code());
    }

    private static String withDtd() {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <!DOCTYPE s:Envelope [<!ENTITY code "ErrorAccessDenied"><!ENTITY leak SYSTEM "file:///etc/hostname">]>
                """ + soap("""
                <m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
                  <m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Error">
                    <m:MessageText>&leak;</m:MessageText><m:ResponseCode>&code;</m:ResponseCode>
                  </m:GetFolderResponseMessage></m:ResponseMessages>
                </m:GetFolderResponse>
                """).replaceFirst("<\\?xml[^>]*>\\s*", "");
    }

    @Test
    void unreachableServerIsTransient() throws Exception {
        var mailbox = ews.mailbox("user@example.com", new FakeTokens(true));
        ews.close();

        MailboxException e = assertThrows(MailboxException.class, () -> mailbox.checkFolder("inbox"));

        assertEquals("CONNECTION", e.code());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(EwsRetries.MAX_ATTEMPTS, ews.requests("GetFolder", "CONNECTION"));
    }

    @Test
    void responseStalledMidwayTimesOutAndIsRetried() throws Exception {
        String answer = FOLDER_FOUND;
        ews.answer(exchange -> {
            byte[] head = answer.substring(0, answer.length() / 2).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(head);
            out.flush();
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("gave up");
        }).answer(200, FOLDER_FOUND);
        var mailbox = ews.mailbox("user@example.com", new FakeTokens(true), Duration.ofMillis(700));

        mailbox.checkFolder("inbox");

        assertEquals(1, ews.requests("GetFolder", "TIMEOUT"));
        assertEquals(1, ews.requests("GetFolder", "success"));
        // a TIMEOUT, not the server's own failure 5 s later: it gave up at the deadline
        assertEquals(1, ews.waits.size());
    }

    static String serverBusy(long backOffMillis) {
        return soap("""
                <s:Fault>
                  <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>
                  <faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>
                  <detail>
                    <e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>
                    <t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
                      <t:Value Name="BackOffMilliseconds">%d</t:Value>
                    </t:MessageXml>
                  </detail>
                </s:Fault>
                """.formatted(backOffMillis));
    }

    private static FakeEws.Answer retryAfter(int status, String seconds) {
        return exchange -> {
            exchange.getResponseHeaders().set("Retry-After", seconds);
            exchange.sendResponseHeaders(status, -1);
        };
    }

    private static FakeEws startServer() {
        try {
            return new FakeEws();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
