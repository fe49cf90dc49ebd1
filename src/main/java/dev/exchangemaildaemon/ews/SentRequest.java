package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

import javax.xml.stream.XMLStreamException;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.PendingResponse;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.net.ResponseBody;
import dev.exchangemaildaemon.net.ResponseDeadline;
import dev.exchangemaildaemon.net.TransportFailures;
import jakarta.xml.bind.JAXBException;

/**
 * An EWS request on its way, holding its permit: its answer is read with {@link #read}, or given up with
 * {@link #close}, which does nothing once it has been read. Each request is counted and timed in the EWS meters.
 */
final class SentRequest implements AutoCloseable {

    /** The server as failures name it. */
    static final String SERVER = "the EWS server";

    private final EwsTransport transport;
    private final String operation;
    private final String token;
    private final RequestPermits.Permit permit;
    private final long sentAt = System.nanoTime();
    private final PendingResponse response;
    private boolean done;

    private SentRequest(EwsTransport transport, String operation, HttpRequest request, String token,
            RequestPermits.Permit permit) {
        this.transport = transport;
        this.operation = operation;
        this.token = token;
        this.permit = permit;
        this.response = new PendingResponse(transport.http(), request);
    }

    /** Sends the request under the permit, which is given back if the sending fails. */
    static SentRequest send(EwsTransport transport, String operation, HttpRequest request, String token,
            RequestPermits.Permit permit) {
        try {
            return new SentRequest(transport, operation, request, token, permit);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /** The bearer token the request carries. */
    String token() {
        return token;
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
            transport.metrics().requested(operation, RequestMetrics.SUCCESS, System.nanoTime() - sentAt);
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

    private <T> T readAnswer(ResponseReader<T> reader, long turn, boolean messageBodies) throws MailboxException {
        HttpResponse<InputStream> answer = answer();
        ResponseBody body = new ResponseBody(answer.body());
        try (body; ResponseDeadline deadline = messageBodies
                ? ResponseDeadline.idle(transport.deadlines(), body, transport.timeout())
                : ResponseDeadline.whole(transport.deadlines(), body,
                        ResponseDeadline.remaining(transport.timeout(), turn))) {
            try {
                return EwsFaults.read(answer, deadline.body(), reader);
            } catch (XMLStreamException | JAXBException | IOException e) {
                if (deadline.expired()) {
                    throw messageBodies ? TransportFailures.stalled(transport.timeout())
                            : TransportFailures.timeout(transport.timeout());
                }
                throw body.failure().map(failure -> TransportFailures.connection(SERVER, failure))
                        .orElseGet(() -> EwsFaults.unreadable(e));
            }
        } catch (IOException e) {
            throw TransportFailures.connection(SERVER, e);
        }
    }

    /** The answer's status and headers, waiting for them if need be. */
    private HttpResponse<InputStream> answer() throws MailboxException {
        try {
            return response.await();
        } catch (HttpTimeoutException e) {
            throw TransportFailures.timeout(transport.timeout());
        } catch (IOException e) {
            throw TransportFailures.connection(SERVER, e, transport.proxy(), transport.endpoint());
        } catch (InterruptedException e) {
            throw TransportFailures.interrupted(e);
        }
    }
}
