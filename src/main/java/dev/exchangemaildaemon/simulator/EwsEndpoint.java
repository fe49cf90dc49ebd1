package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;

/**
 * Exchange Web Services, {@code POST /EWS/Exchange.asmx}. Checks the bearer token as Exchange Online does
 * (HTTP 401 with a {@code WWW-Authenticate: Bearer} challenge), decides which mailbox the request reaches
 * (app-only tokens must impersonate; delegated tokens reach their user's mailbox and may not impersonate),
 * applies injected faults, and hands the request to its operation.
 */
final class EwsEndpoint {

    private static final System.Logger LOG = System.getLogger(EwsEndpoint.class.getName());

    /** The Office 365 Exchange Online service principal and the issuer it trusts, as named in its challenges. */
    private static final String CHALLENGE = "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", "
            + "trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", "
            + "token_types=\"app_asserted_user_v1 service_asserted_app_v1\", authorization_uri=\"%s\"";

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

    private final IssuedTokens tokens;
    private final MailStore store;
    private final MailboxFaults faults;
    private final RequestLog log;
    private final Clock clock;
    private final String challenge;

    EwsEndpoint(IssuedTokens tokens, MailStore store, MailboxFaults faults, RequestLog log, Clock clock,
                String authorizationUri) {
        this.tokens = tokens;
        this.store = store;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
        this.challenge = String.format(CHALLENGE, authorizationUri);
    }

    void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            HttpExchanges.sendEmpty(exchange, 405);
            return;
        }
        exchange.getResponseHeaders().set("request-id", UUID.randomUUID().toString());
        Optional<String> bearer = bearer(exchange);
        Optional<AccessToken> token = bearer.flatMap(tokens::validAccessToken);
        if (token.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate",
                    bearer.isPresent() ? challenge + ", error=\"invalid_token\"" : challenge);
            HttpExchanges.sendEmpty(exchange, 401);
            return;
        }
        byte[] body = HttpExchanges.body(exchange);
        try {
            SoapRequest request = SoapParser.parse(body);
            log.ewsRequest(new EwsRequestRecord(request.operationName(), token.get().principal(),
                    request.impersonatedAddress(), exchange.getRequestHeaders().getFirst("X-AnchorMailbox")));
            sendXml(exchange, 200, respond(request, token.get()));
        } catch (EwsFault fault) {
            sendXml(exchange, 500, SoapResponses.fault(fault));
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
            Optional<String> injected = faults.codeFor(address);
            if (injected.isPresent() && ResponseCodes.isSoapFault(injected.get())) {
                throw EwsFault.of(injected.get(), mailbox.address());
            }
            if (injected.isPresent()) {
                return SoapResponses.response(name, messages -> messages.error(injected.get()));
            }
            EwsContext context = new EwsContext(mailbox, store, clock);
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

    private static Optional<String> bearer(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).strip());
    }

    private static void sendXml(HttpExchange exchange, int status, String xml) throws IOException {
        HttpExchanges.send(exchange, status, "text/xml; charset=utf-8", xml);
    }
}
