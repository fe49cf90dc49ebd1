package dev.exchangemaildaemon.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.exchangemaildaemon.net.TrustedTls;

/** A plain HTTPS client of the simulator that trusts only its certificate, writing EWS requests by hand. */
public final class SimulatorClient {

    public static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
    public static final String ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors";

    private final ExchangeSimulator simulator;
    private final HttpClient http;

    public SimulatorClient(ExchangeSimulator simulator) {
        this.simulator = simulator;
        this.http = HttpClient.newBuilder().sslContext(trusting(simulator)).build();
    }

    public static SSLContext trusting(ExchangeSimulator simulator) {
        return TrustedTls.create(Optional.of(simulator.caCertificatePem()));
    }

    public HttpResponse<String> token(Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(simulator.baseUri().resolve("/" + simulator.tenantId()
                        + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public String appToken(String clientId, String secret) throws IOException, InterruptedException {
        return accessToken(token(Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret, "scope", "https://outlook.office365.com/.default")));
    }

    public String userToken(String clientId, String upn, String password) throws IOException, InterruptedException {
        return userToken(clientId, upn, password, "https://outlook.office365.com/EWS.AccessAsUser.All openid profile");
    }

    public String userToken(String clientId, String upn, String password, String scope)
            throws IOException, InterruptedException {
        return accessToken(token(Map.of("grant_type", "password", "client_id", clientId, "username", upn,
                "password", password, "scope", scope)));
    }

    public static String accessToken(HttpResponse<String> response) {
        Matcher token = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new AssertionError("no token: " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    /** Posts a SOAP request: {@code impersonate} null leaves out the ExchangeImpersonation header. */
    public HttpResponse<String> ews(String token, String impersonate, String body) throws IOException, InterruptedException {
        String impersonation = impersonate == null ? "" : "<t:ExchangeImpersonation><t:ConnectingSID>"
                + "<t:PrimarySmtpAddress>" + impersonate + "</t:PrimarySmtpAddress></t:ConnectingSID>"
                + "</t:ExchangeImpersonation>";
        String envelope = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:t=\"" + TYPES + "\" xmlns:m=\"" + MESSAGES + "\">"
                + "<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/>" + impersonation + "</soap:Header>"
                + "<soap:Body>" + body + "</soap:Body></soap:Envelope>";
        return ewsRaw(token, envelope);
    }

    public HttpResponse<String> ewsRaw(String token, String envelope) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(simulator.baseUri().resolve("/EWS/Exchange.asmx"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static Document xml(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not XML: " + text, e);
        }
    }

    public static List<Element> elements(Document document, String namespace, String name) {
        NodeList nodes = document.getElementsByTagNameNS(namespace, name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    public static Element element(Document document, String namespace, String name) {
        List<Element> elements = elements(document, namespace, name);
        if (elements.size() != 1) {
            throw new AssertionError("expected one " + name + ", found " + elements.size());
        }
        return elements.get(0);
    }

    public static List<String> itemIds(Document document) {
        return elements(document, TYPES, "ItemId").stream().map(e -> e.getAttribute("Id")).toList();
    }

    public static String itemIdXml(String id) {
        return "<t:ItemId Id=\"" + id + "\"/>";
    }

}
