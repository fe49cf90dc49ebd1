package dev.exchangemaildaemon.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.simulator.SimulatorClient;

/**
 * sendMail with a MIME body, as Graph takes it: base64 text/plain, refused 400 ErrorMimeContentInvalidBase64String
 * when not base64, 413 over 4 MB (headers counted), 403 ErrorSendAsDenied from another mailbox's address; accepted
 * 202 with the MIME kept exactly in Sent Items.
 */
class GraphMimeSendTest {

    private static final String APP = "5a1c0e1f-0000-4000-8000-00000000beef";
    private static final String USER = "erp@contoso.com";
    private static final String OTHER = "orders@contoso.com";
    private static final String SEND_MAIL = "/v1.0/users/" + USER + "/sendMail";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExchangeSimulator simulator;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(APP, "secret").addMailbox(USER).addMailbox(OTHER);
        SimulatorClient client = new SimulatorClient(simulator);
        http = HttpClient.newBuilder().sslContext(SimulatorClient.trusting(simulator)).build();
        token = SimulatorClient.accessToken(client.token(Map.of("grant_type", "client_credentials", "client_id", APP,
                "client_secret", "secret", "scope", "https://graph.microsoft.com/.default")));
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static HttpResponse<String> sendMail(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve(SEND_MAIL))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }

    private static byte[] mime(String from) {
        return ("From: <" + from + ">\r\nTo: <" + OTHER + ">\r\nSubject: mime\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void base64MimeIsSentAndKeptExactly() throws Exception {
        byte[] mime = mime(USER);

        HttpResponse<String> response = sendMail(Base64.getEncoder().encode(mime));

        assertEquals(202, response.statusCode(), response.body());
        List<SimMessage> sent = simulator.messages(USER, "sentitems");
        assertArrayEquals(mime, sent.get(sent.size() - 1).mime());
    }

    @Test
    void mimeThatIsNotBase64IsRefused() throws Exception {
        HttpResponse<String> response = sendMail(mime(USER));

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("ErrorMimeContentInvalidBase64String", code(response));
    }

    @Test
    void aRequestOverFourMegabytesIsRefused() throws Exception {
        byte[] body = Base64.getEncoder().encode(new byte[3 * 1024 * 1024 + 3]);

        assertEquals(413, sendMail(body).statusCode());
    }

    /**
     * Graph's 4 MB is the whole request's: a body of exactly 4 MB (3 MB of MIME) is too large with its headers, the
     * bearer token among them; with room left for those, it is sent.
     */
    @Test
    void theLimitCountsTheHeadersWithTheBody() throws Exception {
        HttpResponse<String> atFourMegabytes = sendMail(Base64.getEncoder().encode(mimeOf(3 * 1024 * 1024)));

        assertEquals(413, atFourMegabytes.statusCode(), atFourMegabytes.body());
        assertEquals("RequestEntityTooLarge", code(atFourMegabytes));

        byte[] mime = mimeOf(3 * 1024 * 1024 - 16 * 1024);
        HttpResponse<String> withRoomForHeaders = sendMail(Base64.getEncoder().encode(mime));
        assertEquals(202, withRoomForHeaders.statusCode(), withRoomForHeaders.body());
        List<SimMessage> sent = simulator.messages(USER, "sentitems");
        assertArrayEquals(mime, sent.get(sent.size() - 1).mime());
    }

    /** A message from the user of exactly that many bytes. */
    private static byte[] mimeOf(int bytes) {
        byte[] head = mime(USER);
        byte[] mime = new byte[bytes];
        System.arraycopy(head, 0, mime, 0, head.length);
        for (int i = head.length; i < bytes; i++) {
            mime[i] = (byte) ((i - head.length) % 72 == 71 ? '\n' : 'x');
        }
        return mime;
    }

    @Test
    void anotherMailboxsFromIsRefusedAsSendAsDenied() throws Exception {
        HttpResponse<String> response = sendMail(Base64.getEncoder().encode(mime(OTHER)));

        assertEquals(403, response.statusCode(), response.body());
        assertEquals("ErrorSendAsDenied", code(response));
    }
}
