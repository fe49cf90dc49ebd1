package dev.exchangemaildaemon.ews;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.exchangemaildaemon.ews.soap.Envelope;
import dev.exchangemaildaemon.ews.types.ExchangeImpersonationType;
import dev.exchangemaildaemon.ews.types.RequestServerVersion;
import jakarta.xml.bind.JAXBException;

/**
 * Builds one mailbox's EWS requests: the SOAP envelope with its headers, and the HTTP POST that carries it. An
 * app's own token reaches the mailbox by impersonation, a user's token its own mailbox.
 */
final class SoapRequests {

    static final String SERVER_VERSION = "Exchange2013_SP1";

    private final URI endpoint;
    private final Duration timeout;
    /** The mailbox's address when the token is the app's own, else null. */
    private final String impersonated;

    SoapRequests(URI endpoint, Duration timeout, String impersonatedAddress) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.impersonated = impersonatedAddress;
    }

    /** The SOAP request; with an impersonated address when the token is the app's own. */
    static byte[] envelope(Object operation, String impersonatedAddress) {
        List<Object> header = new ArrayList<>();
        header.add(new RequestServerVersion(SERVER_VERSION));
        if (impersonatedAddress != null) {
            header.add(new ExchangeImpersonationType(impersonatedAddress));
        }
        try {
            return EwsXml.marshal(new Envelope(header, operation));
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write " + operation.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /** The operation's name as in the SOAP body ({@code GetItem}), from its JAXB type ({@code GetItemType}). */
    static String operationName(Object operation) {
        if (operation instanceof MimeUpload upload) {
            return operationName(upload.operation());
        }
        String type = operation.getClass().getSimpleName();
        return type.endsWith("Type") ? type.substring(0, type.length() - "Type".length()) : type;
    }

    /** The request body: the envelope, with a {@link MimeUpload}'s file streamed into it. */
    HttpRequest.BodyPublisher body(Object operation) {
        if (operation instanceof MimeUpload upload) {
            return upload.body(envelope(upload.operation(), impersonated));
        }
        return HttpRequest.BodyPublishers.ofByteArray(envelope(operation, impersonated));
    }

    HttpRequest post(HttpRequest.BodyPublisher body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("Accept", "text/xml")
                .header("Authorization", "Bearer " + token)
                .POST(body);
        if (impersonated != null) {
            // routes the request straight to the impersonated mailbox's server
            request.header("X-AnchorMailbox", impersonated);
        }
        return request.build();
    }
}
