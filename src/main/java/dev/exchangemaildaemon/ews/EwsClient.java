package dev.exchangemaildaemon.ews;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.xml.stream.XMLStreamReader;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.ews.messages.BaseResponseMessageType;
import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.FailedAttempt;
import dev.exchangemaildaemon.net.RequestAttempts;
import jakarta.xml.bind.JAXBException;

/**
 * Sends EWS operations for one mailbox: each is a request built by {@link SoapRequests}, sent within the cap on
 * concurrent requests ({@link RequestPermits}), its answer read by {@link SentRequest} and judged by
 * {@link EwsFaults}; its attempts (retries as {@link EwsRetries} says, a refused token renewed once) are the
 * {@link RequestAttempts} that the Graph client uses too. Every failure is a {@link MailboxException}.
 */
final class EwsClient {

    private static final Logger LOG = Logger.getLogger(EwsClient.class);
    private static final String UNAUTHORIZED = "HTTP 401";

    private final EwsTransport transport;
    private final AccessTokens tokens;
    private final SoapRequests requests;
    private final RequestAttempts attempts;

    EwsClient(EwsTransport transport, String address, AccessTokens tokens) {
        this.transport = transport;
        this.tokens = tokens;
        this.requests = new SoapRequests(transport.endpoint(), transport.timeout(), tokens.appOnly() ? address : null);
        this.attempts = new RequestAttempts(transport.retries(), transport.sleeper(), Clock.systemUTC(),
                (operation, failure, wait) -> retrying(address, operation, failure, wait));
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
        HttpRequest.BodyPublisher body;
        try {
            token = RequestAttempts.token(tokens);
            body = requests.body(operation);
        } catch (MailboxException e) {
            permit.get().close();
            return Optional.empty();
        } catch (RuntimeException e) {
            permit.get().close();
            throw e;
        }
        return Optional.of(sent(SoapRequests.operationName(operation), body, token, permit.get()));
    }

    private <T> T exchange(Supplier<Object> request, ResponseReader<T> reader, boolean repeatable,
            boolean messageBodies, Lookahead lookahead) throws MailboxException {
        String name = SoapRequests.operationName(request.get());
        AtomicReference<SentRequest> sentAhead = new AtomicReference<>(lookahead.sentAhead());
        return attempts.run(name, repeatable, tokens, number -> {
            try {
                return attempt(name, sentAhead.getAndSet(null), request, reader, messageBodies, lookahead);
            } catch (MailboxException e) {
                throw EwsRetries.judge(e.in(name));
            }
        });
    }

    /** One attempt, its request sent ahead or sent now. */
    private <T> T attempt(String name, SentRequest sentAhead, Supplier<Object> request, ResponseReader<T> reader,
            boolean messageBodies, Lookahead lookahead) throws MailboxException, FailedAttempt {
        SentRequest sent = sentAhead != null ? sentAhead
                : send(name, requests.body(request.get()), RequestAttempts.token(tokens), lookahead);
        try (sent) {
            lookahead.sent();
            return sent.read(reader, messageBodies);
        } catch (MailboxException e) {
            if (UNAUTHORIZED.equals(e.code())) {
                throw FailedAttempt.tokenRefused(e.in(name), sent.token());
            }
            throw e;
        }
    }

    /** Sends a request within the cap on concurrent requests, waiting for a permit if none is free. */
    private SentRequest send(String name, HttpRequest.BodyPublisher body, String token, Lookahead lookahead)
            throws MailboxException {
        Optional<RequestPermits.Permit> free = transport.permits().tryAcquire();
        if (free.isEmpty()) {
            lookahead.waitingForPermit();
        }
        return sent(name, body, token, free.isPresent() ? free.get() : transport.permits().acquire());
    }

    private SentRequest sent(String name, HttpRequest.BodyPublisher body, String token, RequestPermits.Permit permit) {
        HttpRequest post;
        try {
            post = requests.post(body, token);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        return SentRequest.send(transport, name, post, token, permit);
    }

    private void retrying(String address, String operation, MailboxException failure, Duration wait) {
        LOG.debugf("%s: %s failed, retrying in %d ms: %s", address, operation, wait.toMillis(), failure.getMessage());
        transport.metrics().retrying(operation, failure.code(), wait);
    }

    private static List<ResponseMessageType> responseMessages(XMLStreamReader xml) throws JAXBException {
        return EwsXml.unmarshal(xml, BaseResponseMessageType.class).responseMessages();
    }
}
