package dev.exchangemaildaemon.ews;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.mailbox.Mailbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An EWS endpoint answering with canned responses, in order, and recording what it was sent. The mailboxes it opens
 * retry as in production, but record the waits between attempts in {@link #waits} instead of sleeping.
 */
final class FakeEws implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @FunctionalInterface
    interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    /** Answers a request by what it asks, whatever order requests arrive in. */
    @FunctionalInterface
    interface Responder {
        Answer answerTo(Received request);
    }

    record Received(Headers headers, Document body) {

        /** The local name of the SOAP Body's element: the operation. */
        String operation() {
            Element body = (Element) this.body.getElementsByTagNameNS(Namespaces.SOAP, "Body").item(0);
            return body.getElementsByTagName("*").item(0).getLocalName();
        }

        List<Element> elements(String namespace, String localName) {
            List<Element> found = new ArrayList<>();
            var nodes = body.getElementsByTagNameNS(namespace, localName);
            for (int i = 0; i < nodes.getLength(); i++) {
                found.add((Element) nodes.item(i));
            }
            return found;
        }
    }

    private final HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private Responder responder;
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final MeterRegistry meters;

    FakeEws() throws IOException {
        this(new SimpleMeterRegistry());
    }

    FakeEws(MeterRegistry meters) throws IOException {
        this.meters = meters;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/EWS/Exchange.asmx", this::handle);
        server.start();
    }

    FakeEws answer(Answer answer) {
        synchronized (this) {
            answers.add(answer);
        }
        return this;
    }

    /** Answers every request from now on with the responder's answer to it, instead of with those queued. */
    synchronized FakeEws answerEach(Responder responder) {
        this.responder = responder;
        return this;
    }

    FakeEws answer(int status, String body) {
        return answer(xml(status, body));
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    Mailbox mailbox(String address, AccessTokens tokens) throws Exception {
        return mailbox(address, tokens, Duration.ofSeconds(20));
    }

    Mailbox mailbox(String address, AccessTokens tokens, Duration timeout) throws Exception {
        return connector(timeout, 8).connect(address, tokens);
    }

    EwsConnector connector(Duration timeout, int maxConcurrentRequests) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/EWS/Exchange.asmx");
        return new EwsConnector(endpoint, timeout, maxConcurrentRequests, SSLContext.getDefault(),
                EwsRetries.policy(EwsRetries.MAX_ATTEMPTS, new Random(7)), waits::add, meters);
    }

    /** How many requests of that operation ended with that outcome ({@code success} or a code). */
    double requests(String operation, String outcome) {
        var counter = meters.find("exchange_mail_requests")
                .tags("api", "ews", "operation", operation, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    static Answer xml(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** A SOAP response as Exchange Online writes it, around the given body element. */
    static String soap(String bodyElement) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
                  <s:Header>
                    <h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="7452" MinorBuildNumber="27" \
                Version="V2018_01_08" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types" \
                xmlns="http://schemas.microsoft.com/exchange/services/2006/types" \
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>
                  </s:Header>
                  <s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
                """ + bodyElement + """
                  </s:Body>
                </s:Envelope>
                """;
    }

    /** An operation's response with the given response messages. */
    static String response(String operation, String responseMessages) {
        return soap("<m:" + operation + "Response xmlns:m=\"" + Namespaces.MESSAGES + "\" xmlns:t=\"" + Namespaces.TYPES
                + "\"><m:ResponseMessages>" + responseMessages + "</m:ResponseMessages></m:" + operation
                + "Response>");
    }

    static String success(String operation, String content) {
        return "<m:" + operation + "ResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
                + content + "</m:" + operation + "ResponseMessage>";
    }

    /** A failed response message; trailing holds what follows the ResponseCode (MessageXml, an empty Items). */
    static String error(String operation, String code, String text, String trailing) {
        return "<m:" + operation + "ResponseMessage ResponseClass=\"Error\"><m:MessageText>" + text
                + "</m:MessageText><m:ResponseCode>" + code + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
                + trailing + "</m:" + operation + "ResponseMessage>";
    }

    private void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            synchronized (this) {
                Received request = new Received(exchange.getRequestHeaders(), document);
                received.add(request);
                answer = responder != null ? responder.answerTo(request) : answers.poll();
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
        if (answer == null) {
            exchange.sendResponseHeaders(599, -1);
            exchange.close();
            return;
        }
        try {
            answer.write(exchange);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
