package dev.exchangemaildaemon.simulator.ews;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;

import dev.exchangemaildaemon.simulator.AnswerEnd;
import dev.exchangemaildaemon.simulator.EwsAnswer;
import dev.exchangemaildaemon.simulator.EwsCall;
import dev.exchangemaildaemon.simulator.EwsFaults;
import dev.exchangemaildaemon.simulator.EwsRequestRecord;
import dev.exchangemaildaemon.simulator.FaultAction;
import dev.exchangemaildaemon.simulator.HttpExchanges;
import dev.exchangemaildaemon.simulator.MailStore;
import dev.exchangemaildaemon.simulator.MailboxFaults;
import dev.exchangemaildaemon.simulator.RejectedRecipients;
import dev.exchangemaildaemon.simulator.RequestLog;
import dev.exchangemaildaemon.simulator.ResponseCodes;
import dev.exchangemaildaemon.simulator.SimMailbox;
import dev.exchangemaildaemon.simulator.entra.AccessToken;

/**
 * Exchange Web Services, {@code POST /EWS/Exchange.asmx}. Checks the bearer token ({@link EwsAuthorization}),
 * decides which mailbox the request reaches (app-only tokens must impersonate; delegated tokens reach their
 * user's mailbox and may not impersonate), applies injected faults, and hands the request to its operation.
 */
public final class EwsEndpoint {

    private static final System.Logger LOG = System.getLogger(EwsEndpoint.class.getName());

    private final Map<String, EwsOperation> operations = Map.of(
            "GetFolder", new GetFolderOperation(),
            "FindFolder", new FindFolderOperation(),
            "CreateFolder", new CreateFolderOperation(),
            "FindItem", new FindItemOperation(),
            "GetItem", new GetItemOperation(),
            "UpdateItem", new UpdateItemOperation(),
            "MoveItem", new MoveItemOperation(),
            "DeleteItem", new DeleteItemOperation(),
            "CreateItem", new CreateItemOperation());

    private final EwsAuthorization authorization;
    private final MailStore store;
    private final RejectedRecipients rejectedRecipients;
    private final MailboxFaults mailboxFaults;
    private final EwsFaults faults;
    private final RequestLog log;
    private final Clock clock;

    public EwsEndpoint(EwsAuthorization authorization, MailStore store, RejectedRecipients rejectedRecipients,
                MailboxFaults mailboxFaults, EwsFaults faults, RequestLog log, Clock clock) {
        this.authorization = authorization;
        this.store = store;
        this.rejectedRecipients = rejectedRecipients;
        this.mailboxFaults = mailboxFaults;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
    }

    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            HttpExchanges.sendEmpty(exchange, 405);
            return;
        }
        exchange.getResponseHeaders().set("request-id", UUID.randomUUID().toString());
        // Read before any answer, so that a refused request leaves the connection fit for the next one.
        byte[] body = HttpExchanges.body(exchange);
        Optional<AccessToken> authorized = authorization.authorize(exchange);
        if (authorized.isEmpty()) {
            return;
        }
        AccessToken token = authorized.get();
        SoapRequest request;
        try {
            request = SoapParser.parse(body);
        } catch (EwsFault fault) {
            EwsAnswer.xml(500, SoapResponses.fault(fault)).send(exchange);
            return;
        }
        log.ewsRequest(new EwsRequestRecord(request.operationName(), token.principal(),
                request.impersonatedAddress(), exchange.getRequestHeaders().getFirst("X-AnchorMailbox")));
        EwsCall call = new EwsCall(request.operationName(), reachedAddress(request, token), token.clientId());
        log.begin(call.mailbox());
        AnswerEnd.register(exchange, () -> log.end(call.mailbox()));
        try {
            Optional<FaultAction> fault = faults.claim(call, clock.instant());
            if (fault.isPresent()) {
                fault.get().answer(exchange, () -> answer(request, token));
            } else {
                answer(request, token).send(exchange);
            }
        } finally {
            AnswerEnd.now(exchange);
        }
    }

    private EwsAnswer answer(SoapRequest request, AccessToken token) {
        try {
            return EwsAnswer.xml(200, respond(request, token));
        } catch (EwsFault fault) {
            return EwsAnswer.xml(500, SoapResponses.fault(fault));
        }
    }

    private String respond(SoapRequest request, AccessToken token) throws EwsFault {
        String name = request.operationName();
        EwsOperation operation = operations.get(name);
        if (operation == null) {
            LOG.log(Level.WARNING, "EWS operation {0} is not simulated", name);
            throw EwsFault.invalidRequest("The simulator does not implement " + name + ".");
        }
        String address = mailboxAddress(request, token);
        synchronized (store) {
            SimMailbox mailbox = store.mailbox(address)
                    .orElseThrow(() -> EwsFault.of(ResponseCodes.NON_EXISTENT_MAILBOX, address));
            Optional<String> injected = mailboxFaults.codeFor(address);
            if (injected.isPresent() && ResponseCodes.isSoapFault(injected.get())) {
                throw EwsFault.of(injected.get(), mailbox.address());
            }
            if (injected.isPresent()) {
                return SoapResponses.response(name, messages -> messages.error(injected.get()));
            }
            EwsContext context = new EwsContext(mailbox, store, rejectedRecipients, clock);
            return SoapResponses.response(name, messages -> operation.execute(request.operation(), context, messages));
        }
    }

    /** The mailbox the request reaches, by the rules Exchange Online applies to each kind of token. */
    private static String mailboxAddress(SoapRequest request, AccessToken token) throws EwsFault {
        String impersonated = request.impersonatedAddress();
        return switch (token.kind()) {
            case APP_ONLY -> {
                if (impersonated == null) {
                    throw EwsFault.of(ResponseCodes.IMPERSONATION_HEADER_REQUIRED);
                }
                yield impersonated;
            }
            case DELEGATED -> {
                if (impersonated != null) {
                    throw EwsFault.of(ResponseCodes.IMPERSONATE_USER_DENIED);
                }
                yield token.principal();
            }
        };
    }

    /** The mailbox the request names, for matching faults; null for an app-only request without impersonation. */
    private static String reachedAddress(SoapRequest request, AccessToken token) {
        return token.kind() == AccessToken.Kind.DELEGATED ? token.principal() : request.impersonatedAddress();
    }
}
