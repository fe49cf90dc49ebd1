package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.ews.messages.BaseResponseMessageType;
import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.ews.soap.Envelope;
import dev.exchangemaildaemon.ews.types.ExchangeImpersonationType;
import dev.exchangemaildaemon.ews.types.RequestServerVersion;
import dev.exchangemaildaemon.mailbox.MailboxException;
import jakarta.xml.bind.JAXBException;

/**
 * Sends EWS operations for one mailbox: wraps them in the SOAP envelope, authenticates, and turns every kind of
 * failure (HTTP status, SOAP fault, network, malformed answer) into a {@link MailboxException}.
 */
final class EwsClient {

    static final String SERVER_VERSION = "Exchange2013_SP1";

    private final HttpClient http;
    private final ScheduledExecutorService deadlines;
    private final URI endpoint;
    private final Duration timeout;
    private final String address;
    private final AccessTokens tokens;

    EwsClient(HttpClient http, ScheduledExecutorService deadlines, URI endpoint, Duration timeout, String address,
            AccessTokens tokens) {
        this.http = http;
        this.deadlines = deadlines;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.address = address;
        this.tokens = tokens;
    }

    /** Sends an operation and returns its response messages, one per item or folder of the request. */
    List<ResponseMessageType> send(Object operation) throws MailboxException {
        return exchange(operation, xml -> EwsXml.unmarshal(xml, BaseResponseMessageType.class).responseMessages());
    }

    /** Sends an operation and hands the response element to the reader while it streams in. */
    <T> T exchange(Object operation, ResponseReader<T> reader) throws MailboxException {
        byte[] request = envelope(operation, tokens.appOnly() ? address : null);
        String token = token();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = post(request, token);
        if (response.statusCode() == 401) {
            discard(response);
            tokens.refused(token);
            token = token();
            started = System.nanoTime();
            response = post(request, token);
        }
        try (InputStream body = response.body();
                ResponseDeadline deadline = new ResponseDeadline(deadlines, body,
                        ResponseDeadline.remaining(timeout, started))) {
            try {
                return read(response, reader);
            } catch (XMLStreamException | JAXBException | IOException e) {
                throw deadline.expired() ? EwsErrors.timeout(timeout) : readFailure(e);
            }
        } catch (IOException e) {
            throw EwsErrors.connection(e);
        }
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

    private <T> T read(HttpResponse<InputStream> response, ResponseReader<T> reader)
            throws XMLStreamException, JAXBException, IOException, MailboxException {
        int status = response.statusCode();
        if (status == 500) {
            throw fault(response);
        }
        if (status != 200) {
            throw httpError(response);
        }
        XMLStreamReader xml = EwsXml.reader(response.body());
        EwsXml.enterBody(xml);
        if (EwsXml.isSoapFault(xml)) {
            throw SoapFault.read(xml);
        }
        return reader.read(xml);
    }

    /** Exchange reports faults (unknown mailbox, impersonation refused, throttling) as HTTP 500 with a SOAP body. */
    private static MailboxException fault(HttpResponse<InputStream> response) throws IOException {
        try {
            XMLStreamReader xml = EwsXml.reader(response.body());
            EwsXml.enterBody(xml);
            if (EwsXml.isSoapFault(xml)) {
                return SoapFault.read(xml);
            }
        } catch (XMLStreamException notSoap) {
            // an HTML error page from a proxy, say: the status is all there is
        }
        return httpError(response);
    }

    private static MailboxException httpError(HttpResponse<InputStream> response) {
        return EwsErrors.http(response.statusCode(), response.headers().firstValue("x-ms-diagnostics"),
                response.headers().firstValue("Retry-After"));
    }

    private static MailboxException readFailure(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return EwsErrors.connection(e);
            }
        }
        return EwsErrors.badResponse(String.valueOf(e.getMessage()), e);
    }

    private HttpResponse<InputStream> post(byte[] envelope, String token) throws MailboxException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("Accept", "text/xml")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
        if (tokens.appOnly()) {
            // routes the request straight to the impersonated mailbox's server
            request.header("X-AnchorMailbox", address);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw EwsErrors.timeout(timeout);
        } catch (IOException e) {
            throw EwsErrors.connection(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxException("INTERRUPTED", MailboxException.Kind.TRANSIENT, "interrupted", null, e);
        }
    }

    private String token() throws MailboxException {
        try {
            return tokens.get();
        } catch (TokenException e) {
            throw EwsErrors.token(e);
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // nothing was wanted from it
        }
    }
}
