package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.TransportFailures;
import dev.exchangemaildaemon.net.PendingResponse;
import dev.exchangemaildaemon.net.ResponseDeadline;
import jakarta.xml.bind.JAXBException;

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

    /**
     * Lets the caller of an exchange keep one request of its own on its way beside the exchange's, as
     * {@link SendAheadBatches} does with the next batch.
     */
    interface Lookahead {

        Lookahead NONE = new Lookahead() {
            @Override
            public SentRequest sentAhead() {
                return null;
            }

            @Override
            public void sent() {
            }

            @Override
            public void waitingForPermit() {
            }
        };

        /** The request of the exchange's first attempt, if the caller sent it ahead; asked once, at the start. */
        SentRequest sentAhead();

        /** An attempt's request is on its way: the moment to send another ahead, if a permit is free. */
        void sent();

        /**
         * The exchange is about to wait for a permit: one that the caller holds must be given back first, or two
         * mailboxes doing the same could each wait for the other's.
         */
        void waitingForPermit();
    }

    /** Sends an operation and returns its response messages, one per item or folder of the request. */
    List<ResponseMessageType> send(Object operation) throws MailboxException {
        return exchange(() -> operation, EwsClient::responseMessages, true, false, Lookahead.NONE);
    }

    /** As {@link #send(Object)}, with a request of the caller's on its way beside it. */
    List<ResponseMessageType> send(Object operation, Lookahead lookahead) throws MailboxException {
        return exchange(() -> operation, EwsClient::responseMessages, true, false, lookahead);
    }

    /**
     * Sends an operation that must not run twice, such as sending a message: after an answer that got lost it is
     * not sent again, since the server may have run it; only a throttled one is.
     */
    List<ResponseMessageType> sendAtMostOnce(Object operation) throws MailboxException {
        return exchange(() -> operation, EwsClient::responseMessages, false, false, Lookahead.NONE);
    }

    /**
     * Sends an operation whose answer carries message bodies and hands the response element to the reader while it
     * streams in. Each attempt asks the supplier for its request, so that a retry can leave out what an earlier
     * attempt already took care of. The answer may take as long as it keeps arriving: it fails only when no byte
     * comes for the request timeout (a large message on a slow link completes, a stalled one fails).
     */
    <T> T exchange(Supplier<Object> request, ResponseReader<T> reader) throws MailboxException {
        return exchange(request, reader, true, true, Lookahead.NONE);
    }

    /** As {@link #exchange(Supplier, ResponseReader)}, with a request of the caller's on its way beside it. */
    <T> T exchange(Supplier<Object> request, ResponseReader<T> reader, Lookahead lookahead) throws MailboxException {
        return exchange(request, reader, true, true, lookahead);
    }

    /**
     * Sends the operation now if a permit is free right now, for its answer to be read later as the first attempt
     * of an exchange (see {@link Lookahead#sentAhead()}). Empty when no permit is free or no token can be had: the
     * exchange then sends the operation itself, in its turn, and meets the failure there.
     */
    Optional<SentRequest> sendIfPermitFree(Object operation) {
        Optional<RequestPermits.Permit> permit = transport.permits().tryAcquire();
        if (permit.isEmpty()) {
            return Optional.empty();
        }
        String token;
        HttpRequest.BodyPublisher envelope;
        try {
            token = token();
            envelope = body(operation);
        } catch (MailboxException e) {
            permit.get().close();
            return Optional.empty();
        } catch (RuntimeException e) {
            permit.get().close();
            throw e;
        }
        return Optional.of(sent(operationName(operation), envelope, token, permit.get()));
    }

    private <T> T exchange(Supplier<Object> request, ResponseReader<T> reader, boolean repeatable,
            boolean messageBodies, Lookahead lookahead) throws MailboxException {
        SentRequest sentAhead = lookahead.sentAhead();
        for (int attempt = 1;; attempt++) {
            Object operation = request.get();
            String name = operationName(operation);
            try {
                return authenticated(name, attempt == 1 ? sentAhead : null, operation, reader, messageBodies,
                        lookahead);
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

    /**
     * One attempt, its request sent ahead or sent now; a refused token is replaced once, as it may have been
     * revoked or expired early.
     */
    private <T> T authenticated(String name, SentRequest sentAhead, Object operation, ResponseReader<T> reader,
            boolean messageBodies, Lookahead lookahead) throws MailboxException {
        SentRequest sent = sentAhead != null ? sentAhead
                : send(name, body(operation), token(), lookahead);
        try (sent) {
            lookahead.sent();
            return sent.read(reader, messageBodies);
        } catch (MailboxException e) {
            if (!UNAUTHORIZED.equals(e.code())) {
                throw e;
            }
            tokens.refused(sent.token);
        }
        SentRequest again = send(name, sent.envelope, token(), lookahead);
        try (again) {
            lookahead.sent();
            return again.read(reader, messageBodies);
        }
    }

    /** Sends a request within the cap on concurrent requests, waiting for a permit if none is free. */
    private SentRequest send(String name, HttpRequest.BodyPublisher envelope, String token, Lookahead lookahead)
            throws MailboxException {
        Optional<RequestPermits.Permit> free = transport.permits().tryAcquire();
        if (free.isEmpty()) {
            lookahead.waitingForPermit();
        }
        return sent(name, envelope, token, free.isPresent() ? free.get() : transport.permits().acquire());
    }

    private SentRequest sent(String name, HttpRequest.BodyPublisher envelope, String token,
            RequestPermits.Permit permit) {
        try {
            return new SentRequest(name, envelope, token, permit);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /**
     * A request on its way, holding its permit: its answer is read with {@link #read}, or given up with
     * {@link #close}, which does nothing once it has been read.
     */
    final class SentRequest implements AutoCloseable {

        private final String operation;
        private final HttpRequest.BodyPublisher envelope;
        private final String token;
        private final RequestPermits.Permit permit;
        private final long sentAt = System.nanoTime();
        private final PendingResponse response;
        private boolean done;

        private SentRequest(String operation, HttpRequest.BodyPublisher envelope, String token,
                RequestPermits.Permit permit) {
            this.operation = operation;
            this.envelope = envelope;
            this.token = token;
            this.permit = permit;
            this.response = new PendingResponse(transport.http(), httpRequest(envelope, token));
        }

        /**
         * Reads the answer, counted and timed from sending; the permit is given back once it is read. An answer
         * carrying message bodies is bounded by progress, any other by the request timeout.
         */
        <T> T read(ResponseReader<T> reader, boolean messageBodies) throws MailboxException {
            done = true;
            // the time to read is counted from now: a request sent ahead may have waited long for its turn
            long turn = System.nanoTime();
            try (permit) {
                T result = readAnswer(reader, turn, messageBodies);
                transport.metrics().requested(operation, EwsMetrics.SUCCESS, System.nanoTime() - sentAt);
                return result;
            } catch (MailboxException e) {
                transport.metrics().requested(operation, e.code(), System.nanoTime() - sentAt);
                throw e;
            }
        }

        /** Gives the request up unless it was read: the exchange is cancelled, or its connection closed. */
        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            response.abandon();
            permit.close();
            transport.metrics().cancelled(operation);
        }

        private <T> T readAnswer(ResponseReader<T> reader, long turn, boolean messageBodies)
                throws MailboxException {
            HttpResponse<InputStream> answer = answer();
            ResponseBody body = new ResponseBody(answer.body());
            try (body; ResponseDeadline deadline = messageBodies
                    ? ResponseDeadline.idle(transport.deadlines(), body, transport.timeout())
                    : ResponseDeadline.whole(transport.deadlines(), body,
                            ResponseDeadline.remaining(transport.timeout(), turn))) {
                try {
                    return readResponse(answer, deadline.body(), reader);
                } catch (XMLStreamException | JAXBException | IOException e) {
                    if (deadline.expired()) {
                        throw messageBodies ? TransportFailures.stalled(transport.timeout())
                                : TransportFailures.timeout(transport.timeout());
                    }
                    throw body.failure().map(failure -> TransportFailures.connection("the EWS server", failure)).orElseGet(() -> readFailure(e));
                }
            } catch (IOException e) {
                throw TransportFailures.connection("the EWS server", e);
            }
        }

        /** The answer's status and headers, waiting for them if need be. */
        private HttpResponse<InputStream> answer() throws MailboxException {
            try {
                return response.await();
            } catch (HttpTimeoutException e) {
                throw TransportFailures.timeout(transport.timeout());
            } catch (IOException e) {
                throw TransportFailures.connection("the EWS server", e);
            } catch (InterruptedException e) {
                throw TransportFailures.interrupted(e);
            }
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

    /** The request body: the envelope, with a {@link MimeUpload}'s file streamed into it. */
    private HttpRequest.BodyPublisher body(Object operation) {
        String impersonated = tokens.appOnly() ? address : null;
        if (operation instanceof MimeUpload upload) {
            return upload.body(envelope(upload.operation(), impersonated));
        }
        return HttpRequest.BodyPublishers.ofByteArray(envelope(operation, impersonated));
    }

    /** The operation's name as in the SOAP body ({@code GetItem}), from its JAXB type ({@code GetItemType}). */
    static String operationName(Object operation) {
        if (operation instanceof MimeUpload upload) {
            return operationName(upload.operation());
        }
        String type = operation.getClass().getSimpleName();
        return type.endsWith("Type") ? type.substring(0, type.length() - "Type".length()) : type;
    }

    private static List<ResponseMessageType> responseMessages(XMLStreamReader xml) throws JAXBException {
        return EwsXml.unmarshal(xml, BaseResponseMessageType.class).responseMessages();
    }

    private <T> T readResponse(HttpResponse<InputStream> response, InputStream body, ResponseReader<T> reader)
            throws XMLStreamException, JAXBException, IOException, MailboxException {
        int status = response.statusCode();
        if (status == 500) {
            throw fault(response, body);
        }
        if (status != 200) {
            throw httpError(response);
        }
        XMLStreamReader xml = EwsXml.reader(reader.parsed(body));
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

    private HttpRequest httpRequest(HttpRequest.BodyPublisher envelope, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(transport.endpoint())
                .timeout(transport.timeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("Accept", "text/xml")
                .header("Authorization", "Bearer " + token)
                .POST(envelope);
        if (tokens.appOnly()) {
            // routes the request straight to the impersonated mailbox's server
            request.header("X-AnchorMailbox", address);
        }
        return request.build();
    }

    private String token() throws MailboxException {
        try {
            return tokens.get();
        } catch (TokenException e) {
            throw TransportFailures.token(e);
        }
    }
}
