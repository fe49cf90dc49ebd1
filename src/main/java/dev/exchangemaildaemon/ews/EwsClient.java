package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.ews.messages.BaseResponseMessageType;
import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.ews.soap.Envelope;
import dev.exchangemaildaemon.ews.types.ExchangeImpersonationType;
import dev.exchangemaildaemon.ews.types.RequestServerVersion;
import dev.exchangemaildaemon.net.ResponseDeadline;
import dev.exchangemaildaemon.mailbox.MailboxException;
import jakarta.xml.bind.JAXBException;
import dev.exchangemaildaemon.mailbox.TransportFailures;

/**
 * Sends EWS operations for one mailbox: wraps them in the SOAP envelope, authenticates, retries what is worth
 * retrying (see {@link RetryPolicy}), and turns every kind of failure (HTTP status, SOAP fault, network, malformed
 * answer) into a {@link MailboxException}.
 */
final class EwsClient {

    static final String SERVER_VERSION = "Exchange2013_SP1";

    private static final Logger LOG = Logger.getLogger(EwsClient.class);
    private static final String UNAUTHORIZED = "HTTP 401";

    private final EwsTransport transport;
    private final String address;
    private final AccessTokens tokens;

    EwsClient(EwsTransport transport, String address, AccessTokens tokens) {
        this.transport = transport;
        this.address = address;
        this.tokens = tokens;
    }

    /** Sends an operation and returns its response messages, one per item or folder of the request. */
    List<ResponseMessageType> send(Object operation) throws MailboxException {
        return exchange(() -> operation, EwsClient::responseMessages, true);
    }

    /**
     * Sends an operation that must not run twice, such as sending a message: after an answer that got lost it is
     * not sent again, since the server may have run it; only a throttled one is.
     */
    List<ResponseMessageType> sendAtMostOnce(Object operation) throws MailboxException {
        return exchange(() -> operation, EwsClient::responseMessages, false);
    }

    /**
     * Sends an operation and hands the response element to the reader while it streams in. Each attempt asks the
     * supplier for its request, so that a retry can leave out what an earlier attempt already took care of.
     */
    <T> T exchange(Supplier<Object> request, ResponseReader<T> reader) throws MailboxException {
        return exchange(request, reader, true);
    }

    private <T> T exchange(Supplier<Object> request, ResponseReader<T> reader, boolean repeatable)
            throws MailboxException {
        for (int attempt = 1;; attempt++) {
            Object operation = request.get();
            String name = operationName(operation);
            try {
                return authenticated(name, operation, reader);
            } catch (MailboxException failure) {
                Duration wait = transport.retries().delay(failure, attempt, repeatable)
                        .orElseThrow(() -> failure.in(name));
                LOG.debugf("%s: %s attempt %d failed, retrying in %d ms: %s", address, name, attempt, wait.toMillis(),
                        failure.getMessage());
                transport.metrics().retrying(name, failure.code(), wait);
                try {
                    transport.sleeper().sleep(wait);
                } catch (InterruptedException e) {
                    throw TransportFailures.interrupted(e);
                }
            }
        }
    }

    /** One attempt; a refused token is replaced once, as it may have been revoked or expired early. */
    private <T> T authenticated(String name, Object operation, ResponseReader<T> reader) throws MailboxException {
        byte[] envelope = envelope(operation, tokens.appOnly() ? address : null);
        String token = token();
        try {
            return request(name, envelope, token, reader);
        } catch (MailboxException e) {
            if (!UNAUTHORIZED.equals(e.code())) {
                throw e;
            }
            tokens.refused(token);
        }
        return request(name, envelope, token(), reader);
    }

    /** One HTTP request, counted and timed, within the cap on concurrent requests. */
    private <T> T request(String operation, byte[] envelope, String token, ResponseReader<T> reader)
            throws MailboxException {
        try (RequestPermits.Permit permit = transport.permits().acquire()) {
            long started = System.nanoTime();
            try {
                T result = postAndRead(envelope, token, reader, started);
                transport.metrics().requested(operation, EwsMetrics.SUCCESS, System.nanoTime() - started);
                return result;
            } catch (MailboxException e) {
                transport.metrics().requested(operation, e.code(), System.nanoTime() - started);
                throw e;
            }
        }
    }

    private <T> T postAndRead(byte[] envelope, String token, ResponseReader<T> reader, long started)
            throws MailboxException {
        HttpResponse<InputStream> response = post(envelope, token);
        ResponseBody body = new ResponseBody(response.body());
        try (body; ResponseDeadline deadline = new ResponseDeadline(transport.deadlines(), body,
                ResponseDeadline.remaining(transport.timeout(), started))) {
            try {
                return read(response, body, reader);
            } catch (XMLStreamException | JAXBException | IOException e) {
                if (deadline.expired()) {
                    throw TransportFailures.timeout(transport.timeout());
                }
                throw body.failure().map(failure -> TransportFailures.connection("the EWS server", failure)).orElseGet(() -> readFailure(e));
            }
        } catch (IOException e) {
            throw TransportFailures.connection("the EWS server", e);
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

    /** The operation's name as in the SOAP body ({@code GetItem}), from its JAXB type ({@code GetItemType}). */
    static String operationName(Object operation) {
        String type = operation.getClass().getSimpleName();
        return type.endsWith("Type") ? type.substring(0, type.length() - "Type".length()) : type;
    }

    private static List<ResponseMessageType> responseMessages(XMLStreamReader xml) throws JAXBException {
        return EwsXml.unmarshal(xml, BaseResponseMessageType.class).responseMessages();
    }

    private <T> T read(HttpResponse<InputStream> response, InputStream body, ResponseReader<T> reader)
            throws XMLStreamException, JAXBException, IOException, MailboxException {
        int status = response.statusCode();
        if (status == 500) {
            throw fault(response, body);
        }
        if (status != 200) {
            throw httpError(response);
        }
        XMLStreamReader xml = EwsXml.reader(body);
        EwsXml.enterBody(xml);
        if (EwsXml.isSoapFault(xml)) {
            throw SoapFault.read(xml);
        }
        return reader.read(xml);
    }

    /** Exchange reports faults (unknown mailbox, impersonation refused, throttling) as HTTP 500 with a SOAP body. */
    private static MailboxException fault(HttpResponse<InputStream> response, InputStream body) throws IOException {
        try {
            XMLStreamReader xml = EwsXml.reader(body);
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
                return TransportFailures.connection("the EWS server", e);
            }
        }
        return TransportFailures.badResponse(String.valueOf(e.getMessage()), e);
    }

    private HttpResponse<InputStream> post(byte[] envelope, String token) throws MailboxException {
        HttpRequest.Builder request = HttpRequest.newBuilder(transport.endpoint())
                .timeout(transport.timeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("Accept", "text/xml")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
        if (tokens.appOnly()) {
            // routes the request straight to the impersonated mailbox's server
            request.header("X-AnchorMailbox", address);
        }
        try {
            return transport.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw TransportFailures.timeout(transport.timeout());
        } catch (IOException e) {
            throw TransportFailures.connection("the EWS server", e);
        } catch (InterruptedException e) {
            throw TransportFailures.interrupted(e);
        }
    }

    private String token() throws MailboxException {
        try {
            return tokens.get();
        } catch (TokenException e) {
            throw TransportFailures.token(e);
        }
    }
}
