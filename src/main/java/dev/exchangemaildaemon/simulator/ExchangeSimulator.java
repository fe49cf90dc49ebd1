package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import dev.exchangemaildaemon.simulator.entra.AppCredentials;
import dev.exchangemaildaemon.simulator.entra.ClientAssertions;
import dev.exchangemaildaemon.simulator.entra.Directory;
import dev.exchangemaildaemon.simulator.entra.IssuedTokens;
import dev.exchangemaildaemon.simulator.entra.TokenEndpoint;
import dev.exchangemaildaemon.simulator.entra.TokenFaults;
import dev.exchangemaildaemon.simulator.entra.UserRealmEndpoint;
import dev.exchangemaildaemon.simulator.ews.EwsAuthorization;
import dev.exchangemaildaemon.simulator.ews.EwsEndpoint;
import dev.exchangemaildaemon.simulator.ews.EwsFault;
import dev.exchangemaildaemon.simulator.ews.SoapResponses;
import dev.exchangemaildaemon.simulator.graph.GraphAnswers;
import dev.exchangemaildaemon.simulator.graph.GraphEndpoint;
import dev.exchangemaildaemon.simulator.graph.GraphError;
import dev.exchangemaildaemon.simulator.graph.GraphMailOperations;
import dev.exchangemaildaemon.simulator.graph.ThrottledRequests;

/**
 * An in-process stand-in for Microsoft Entra ID's token endpoint, Exchange Online's EWS and Microsoft Graph's mail
 * API over the same mailboxes, served over HTTPS on localhost with a certificate made at start. Tests and the dev profile register apps, users and mailboxes,
 * seed messages, inject faults, and inspect what the daemon did.
 */
public final class ExchangeSimulator {

    static {
        // Read once when the JDK's HTTP server loads: without it every response waits for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * Server threads. An injected delay sleeps in one, as a slow server would, so this caps how many requests are
     * answered at once: high enough for the scale benchmark's parallel polls (8 capped them before).
     */
    private static final int THREADS = 32;

    private final SimulatorClock clock = new SimulatorClock();
    private final Directory directory;
    private final IssuedTokens tokens = new IssuedTokens(clock);
    private final MailStore store = new MailStore();
    private final TokenFaults tokenFaults = new TokenFaults();
    private final MailboxFaults mailboxFaults = new MailboxFaults();
    private final EwsFaults ewsFaults = new EwsFaults();
    private final MailboxFaults graphMailboxFaults = new MailboxFaults();
    private final EwsFaults graphFaults = new EwsFaults();
    private final ThrottledRequests throttledGraphRequests = new ThrottledRequests();
    private volatile int graphPageSize = 1000;
    private final RejectedRecipients rejectedRecipients = new RejectedRecipients();
    private final RequestLog log = new RequestLog();
    private final AppCredentials appCredentials = new AppCredentials();
    private final ClientAssertions assertions = new ClientAssertions(appCredentials, clock);
    private final TlsIdentity tls;
    private final ExecutorService executor;
    private final HttpsServer server;
    private final URI baseUri;

    private ExchangeSimulator(String tenantId, int port) throws IOException {
        this.directory = new Directory(tenantId);
        this.tls = TlsIdentity.generate();
        this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.baseUri = URI.create("https://localhost:" + server.getAddress().getPort());
        server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
        server.setExecutor(executor);
        server.createContext("/", new Router(
                new TokenEndpoint(directory, tokens, tokenFaults, log, clock, baseUri.toString(), assertions),
                new UserRealmEndpoint(directory),
                new EwsEndpoint(new EwsAuthorization(tokens, baseUri + "/common/oauth2/authorize"), store,
                        rejectedRecipients, mailboxFaults, ewsFaults, log, clock),
                new GraphEndpoint(tokens, store, graphMailboxFaults, graphFaults, throttledGraphRequests, log, clock,
                        new GraphMailOperations(store, rejectedRecipients, clock, graphUri(), () -> graphPageSize),
                        baseUri + "/common/oauth2/authorize")));
        server.start();
    }

    /** Starts a simulator for a new random tenant; port 0 takes any free port. */
    public static ExchangeSimulator start(int port) {
        return start(port, UUID.randomUUID().toString());
    }

    /** Starts a simulator for the tenant with that id, as the demo does to keep its configuration stable. */
    public static ExchangeSimulator start(int port, String tenantId) {
        try {
            return new ExchangeSimulator(tenantId, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Exchange simulator", e);
        }
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
        try {
            tls.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the simulator's certificate files", e);
        }
    }

    /** {@code https://localhost:PORT}: the authority host and, with {@code /EWS/Exchange.asmx}, the EWS URL. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * {@code https://localhost:PORT/v1.0}: Microsoft Graph's versioned base URL. Tokens for it are asked for
     * {@code https://graph.microsoft.com}, as for the real one: the URL is not the audience.
     */
    public URI graphUri() {
        return URI.create(baseUri + GraphEndpoint.VERSION);
    }

    /** The server's self-signed certificate as PEM, for a client's trust store. Deleted by {@link #stop()}. */
    public Path caCertificatePem() {
        return tls.certificatePem();
    }

    public String tenantId() {
        return directory.tenantId();
    }

    /**
     * Uploads a certificate's public part to the app (Certificates &amp; secrets): a client assertion signed with its
     * key, naming it by thumbprint, then authenticates the app.
     */
    public ExchangeSimulator uploadCertificate(String clientId, java.security.cert.X509Certificate certificate) {
        appCredentials.uploadCertificate(clientId, certificate);
        return this;
    }

    /** Deletes an uploaded certificate from the app, as an admin does with the old one after a renewal. */
    public ExchangeSimulator removeCertificate(String clientId, java.security.cert.X509Certificate certificate) {
        appCredentials.removeCertificate(clientId, certificate);
        return this;
    }

    /**
     * Adds a federated credential to the app: tokens of {@code issuer} about {@code subject} for {@code audience},
     * signed with the key {@code issuerKey} (which Entra ID would fetch from the issuer's discovery document).
     */
    public ExchangeSimulator addFederatedCredential(String clientId, String issuer, String subject, String audience,
            java.security.PublicKey issuerKey) {
        appCredentials.addFederated(clientId, new AppCredentials.Federated(issuer, subject, audience, issuerKey));
        return this;
    }

    /** Entra ID's clock runs this far ahead of the client's (negative: behind), as a skewed client clock looks. */
    public ExchangeSimulator entraClockAhead(Duration ahead) {
        assertions.skew(ahead);
        return this;
    }

    /** An app that gets app-only tokens (role full_access_as_app unless {@link #appRoles} says otherwise). */
    public ExchangeSimulator registerApp(String clientId, String secret) {
        directory.registerApp(clientId, secret);
        return this;
    }

    /** A cloud-only user that gets delegated tokens (EWS.AccessAsUser.All unless {@link #userScopes} says so). */
    public ExchangeSimulator registerUser(String upn, String password) {
        directory.registerUser(upn, password);
        return this;
    }

    /**
     * The Exchange application permissions consented for the app, replacing full_access_as_app. Its tokens carry
     * just these roles; as with Entra ID, it still gets tokens without full_access_as_app, which EWS then refuses
     * with HTTP 401 and {@code x-ms-diagnostics: 2000008}.
     */
    public ExchangeSimulator appRoles(String clientId, String... roles) {
        directory.appRoles(clientId, Set.of(roles));
        return this;
    }

    /**
     * The Exchange delegated permissions consented for the user, replacing EWS.AccessAsUser.All. A request for a
     * scope not among them is refused (AADSTS65001); one for {@code https://outlook.office365.com/.default} gets
     * a token with just these, which EWS refuses with HTTP 401 unless EWS.AccessAsUser.All is among them.
     */
    public ExchangeSimulator userScopes(String upn, String... scopes) {
        directory.userScopes(upn, Set.of(scopes));
        return this;
    }

    /**
     * The Microsoft Graph application permissions consented for the app, replacing Mail.ReadWrite and Mail.Send.
     * Its Graph tokens carry just these roles; Graph refuses mail requests without them (403 ErrorAccessDenied).
     */
    public ExchangeSimulator graphAppRoles(String clientId, String... roles) {
        directory.graphAppRoles(clientId, Set.of(roles));
        return this;
    }

    /** The Microsoft Graph delegated permissions consented for the user, replacing Mail.ReadWrite and Mail.Send. */
    public ExchangeSimulator graphUserScopes(String upn, String... scopes) {
        directory.graphUserScopes(upn, Set.of(scopes));
        return this;
    }

    /** A mailbox with the distinguished folders msgfolderroot, inbox, sentitems, deleteditems, drafts, junkemail. */
    public ExchangeSimulator addMailbox(String address) {
        store.add(address);
        return this;
    }

    /**
     * The clock the simulator reads from now on for everything time-based: token lifetimes, {@link #failEws} windows,
     * Date headers and the time mail is received. The system clock unless set; a test that moves its own clock
     * tests those rules without waiting on the real one.
     */
    public ExchangeSimulator useClock(Clock clock) {
        this.clock.use(clock);
        return this;
    }

    /** How long access tokens issued from now on stay valid; one hour unless set. */
    public ExchangeSimulator tokenLifetime(Duration lifetime) {
        tokens.lifetime(lifetime);
        return this;
    }

    /**
     * Puts four unread sample messages (plain text, HTML, RFC 2047 subject, multipart with a base64 attachment)
     * into the mailbox's inbox, received a minute apart, and returns their MIME in that order.
     */
    public List<byte[]> seedSampleMessages(String address) {
        ZonedDateTime firstSent = clock.instant().atZone(ZoneOffset.UTC).minusMinutes(10);
        List<byte[]> messages = SampleMessages.forRecipient(address, firstSent);
        synchronized (store) {
            SimMailbox mailbox = store.existing(address);
            for (int i = 0; i < messages.size(); i++) {
                mailbox.add(mailbox.inbox(), messages.get(i), false, firstSent.plusMinutes(i + 1L).toInstant());
            }
        }
        return messages;
    }

    /**
     * Delivers a MIME message into a folder, named by distinguished id (such as {@code inbox}), display name or path
     * ({@code Invoices/Incoming}).
     *
     * @return the new item's id
     */
    public String deliver(String address, String folder, byte[] mime, boolean read) {
        return deliver(address, folder, mime, read, clock.instant());
    }

    /** As {@link #deliver(String, String, byte[], boolean)}, received at the given time. */
    public String deliver(String address, String folder, byte[] mime, boolean read, Instant received) {
        synchronized (store) {
            SimMailbox mailbox = store.existing(address);
            return mailbox.add(mailbox.findFolder(folder), mime, read, received).id();
        }
    }

    /** Creates the folders of a path such as {@code Invoices/Incoming} that are missing; see {@link FolderPaths}. */
    public ExchangeSimulator createFolder(String address, String path) {
        synchronized (store) {
            FolderPaths.walk(store.existing(address), path, true);
        }
        return this;
    }

    /**
     * Marks a folder (by path, as {@link #createFolder}) hidden, as a program may: Graph's folder lists leave it out
     * unless asked with {@code includeHiddenFolders=true}; EWS FindFolder lists it.
     */
    public ExchangeSimulator hideFolder(String address, String path) {
        synchronized (store) {
            FolderPaths.walk(store.existing(address), path, false).hide();
        }
        return this;
    }

    /** Deletes a folder (by path, as {@link #createFolder}) with its messages and subfolders; its ids are gone. */
    public void deleteFolder(String address, String path) {
        synchronized (store) {
            SimMailbox mailbox = store.existing(address);
            mailbox.deleteFolder(FolderPaths.walk(mailbox, path, false));
        }
    }

    /** The messages in a folder (distinguished id, display name or path), oldest first. */
    public List<SimMessage> messages(String address, String folder) {
        synchronized (store) {
            return store.existing(address).findFolder(folder).items().stream()
                    .sorted(Comparator.comparing(StoredItem::received).thenComparingLong(StoredItem::sequence))
                    .map(StoredItem::toSimMessage)
                    .toList();
        }
    }

    /** How many token requests with that {@code grant_type} arrived, successful or not. */
    public int tokenRequests(String grantType) {
        return log.tokenRequests(grantType);
    }

    /** Every EWS request that passed authentication, in order of arrival, including those a fault hit. */
    public List<EwsRequestRecord> ewsRequests() {
        return log.ewsRequests();
    }

    /** How many EWS requests of each operation passed authentication, including those a fault hit. */
    public Map<String, Integer> ewsRequestCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        log.ewsRequests().forEach(request -> counts.merge(request.operation(), 1, Integer::sum));
        return counts;
    }

    /** Every Graph request that passed authentication, in order of arrival, including those a fault hit. */
    public List<GraphRequestRecord> graphRequests() {
        return log.graphRequests();
    }

    /** How many Graph requests of each operation passed authentication, batched ones included. */
    public Map<String, Integer> graphRequestCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        log.graphRequests().forEach(request -> counts.merge(request.operation(), 1, Integer::sum));
        return counts;
    }

    /**
     * The most EWS or Graph requests to the mailbox that were being answered at once (from arrival until the answer
     * was written, so a response the client reads slowly counts until it is read), since start or
     * {@link #resetCounters()}. Graph refuses a fifth at once with 429, as Graph does (after waiting up to 200 ms
     * for a slot); refused requests do not count.
     */
    public int peakConcurrentRequests(String address) {
        return log.peakInFlight(address);
    }

    /** How many EWS or Graph requests to the mailbox are being answered now: a test waits for them to finish. */
    public int requestsInFlight(String address) {
        return log.inFlight(address);
    }

    /** The most messages one page of a Graph message list holds, whatever {@code $top} asks; 1000 unless set. */
    public ExchangeSimulator graphPageSize(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("a page holds at least one message: " + messages);
        }
        graphPageSize = messages;
        return this;
    }

    public void resetCounters() {
        log.reset();
    }

    /**
     * Makes every token request of that app (by client id) or user (by username, or by a refresh token issued to
     * them) fail as Entra ID fails it with that code, such as {@code AADSTS50076}: the same HTTP status, OAuth
     * error, AADSTS text, error codes, trace and correlation ids. Cleared by {@link #clearFaults()}.
     */
    public ExchangeSimulator failTokens(String clientIdOrUpn, String aadstsCode) {
        tokenFaults.fail(clientIdOrUpn, aadstsCode);
        return this;
    }

    /**
     * Makes Entra ID take every token request of that app (by client id) or user (by username, or by a refresh
     * token issued to them) and never answer it, the connection left open, as a stalled front end does. The
     * requests are held until {@link #clearFaults()} (then closed unanswered) or {@link #stop()}.
     */
    public ExchangeSimulator stallTokens(String clientIdOrUpn) {
        tokenFaults.stall(clientIdOrUpn);
        return this;
    }

    /**
     * Makes Entra ID answer every token request of that app (by client id) or user (by username, or by a refresh
     * token issued to them) with its headers and half its body, then nothing more, the connection left open. Later
     * requests go through after {@link #clearFaults()}; those already held stay held until {@link #stop()}.
     */
    public ExchangeSimulator stallTokenBodies(String clientIdOrUpn) {
        tokenFaults.stallBody(clientIdOrUpn);
        return this;
    }

    /** Makes every access token issued so far invalid: the next EWS request with one gets HTTP 401. */
    public ExchangeSimulator revokeTokens() {
        tokens.revokeAccessTokens();
        return this;
    }

    /**
     * Makes every EWS request reaching the mailbox fail with that response code, as Exchange fails it: a SOAP
     * fault for request-level codes such as ErrorNonExistentMailbox, else an error response message.
     */
    public void failMailbox(String address, String responseCode) {
        mailboxFaults.fail(address, responseCode);
    }

    /**
     * Answers every EWS request reaching the mailbox (null: any) with that HTTP status and no body for the window
     * from now, then recovers: 403 right after setup, for instance, as while new permissions propagate.
     */
    public ExchangeSimulator failEws(String mailboxOrNull, int httpStatus, Duration window) {
        ewsFaults.add(Fault.until(clock.instant().plus(window), mailboxOrNull,
                FaultAction.status(httpStatus, Map.of())));
        return this;
    }

    /**
     * Blocks EWS for the app (null: for the whole tenant), as Exchange Online does when EwsEnabled is false or the
     * app is not on the tenant's EwsAllowedAppIDs: HTTP 403 with an empty body. Microsoft documents the 403 but
     * not its body or diagnostics; an empty body is what clients have reported.
     */
    public ExchangeSimulator blockEws(String clientIdOrNull) {
        ewsFaults.add(Fault.forApp(clientIdOrNull, FaultAction.status(403, Map.of())));
        return this;
    }

    /**
     * Throttles the next {@code requests} EWS requests reaching the mailbox (null: any), as Exchange Online does:
     * an ErrorServerBusy SOAP fault in HTTP 500 telling the client to back off that long.
     */
    public ExchangeSimulator throttle(String mailboxOrNull, int requests, long backOffMillis) {
        ewsFaults.add(Fault.times(requests, null, mailboxOrNull, FaultAction.replaceWith(
                EwsAnswer.xml(500, SoapResponses.fault(EwsFault.serverBusy(backOffMillis))))));
        return this;
    }

    /** Applies a transport-level fault, such as a 503 or a dropped connection, to the next EWS requests. */
    public ExchangeSimulator ewsFault(HttpFault fault) {
        ewsFaults.add(fault.toFault());
        return this;
    }

    /**
     * Makes every Graph request reaching the mailbox, batched ones included, fail as Graph fails it with that code:
     * {@code ErrorInvalidUser} or {@code ResourceNotFound} (404, no such user), {@code MailboxNotEnabledForRESTAPI}
     * (404, no Exchange Online mailbox or license), {@code ErrorAccessDenied} (403, an application access policy
     * excludes it) or {@code ErrorMailboxStoreUnavailable} (503).
     */
    public ExchangeSimulator failGraphMailbox(String address, String graphCode) {
        GraphError.checkInjectable(graphCode);
        graphMailboxFaults.fail(address, graphCode);
        return this;
    }

    /**
     * Throttles the next {@code requests} Graph requests reaching the mailbox (null: any, a $batch too), as Graph
     * does: 429 ApplicationThrottled with {@code Retry-After} in seconds.
     */
    public ExchangeSimulator throttleGraph(String mailboxOrNull, int requests, int retryAfterSeconds) {
        EwsAnswer throttled = GraphAnswers.error(GraphError.throttled(), clock);
        Map<String, String> headers = new HashMap<>(throttled.headers());
        headers.put("Retry-After", Integer.toString(retryAfterSeconds));
        graphFaults.add(Fault.times(requests, null, mailboxOrNull,
                FaultAction.replaceWith(new EwsAnswer(429, headers, throttled.body()))));
        return this;
    }

    /**
     * Throttles the next {@code requests} Graph requests of that operation (such as {@code updateMessage} or
     * {@code moveMessage}), those inside a {@code $batch} too, each answered 429 TooManyRequests on its own (in a
     * batch: among its responses, with its own headers) and {@code Retry-After} as given ({@code 2.128}; none when
     * empty).
     */
    public ExchangeSimulator throttleGraphOperation(String operation, int requests, Optional<String> retryAfter) {
        throttledGraphRequests.add(operation, requests, retryAfter);
        return this;
    }

    /**
     * Runs the next {@code requests} Graph requests of that operation (a send goes out), then answers each 500
     * generalException: a server error after the work was done, which a client cannot tell from one before it.
     */
    public ExchangeSimulator failGraphAfterRunning(String operation, int requests) {
        graphFaults.add(Fault.times(requests, operation, null,
                LostAnswers.runThenFail(GraphAnswers.error(GraphError.generalException(), clock))));
        return this;
    }

    /**
     * Answers the next {@code requests} Graph requests of that operation as Graph answers one over its 4 MB limit
     * (413 RequestEntityTooLarge), whatever their size: the client keeps its requests under the limit itself.
     */
    public ExchangeSimulator refuseGraphRequestsAsTooLarge(String operation, int requests) {
        graphFaults.add(Fault.times(requests, operation, null,
                FaultAction.replaceWith(GraphAnswers.error(GraphError.requestTooLarge(), clock))));
        return this;
    }

    /**
     * Applies a transport-level fault to the next Graph requests; its operation is the Graph route's, such as
     * {@code listMessages}, {@code getMime}, {@code createFolder} or {@code $batch}.
     */
    public ExchangeSimulator graphFault(HttpFault fault) {
        graphFaults.add(fault.toFault());
        return this;
    }

    /**
     * Whether an injected Graph fault has requests left to hit: a test waits for its fault to be used up rather than
     * for a while.
     */
    public boolean graphFaultsLeft() {
        return graphFaults.anyLeft();
    }

    /** Whether an injected EWS fault has requests left to hit, as {@link #graphFaultsLeft} for Graph. */
    public boolean ewsFaultsLeft() {
        return ewsFaults.anyLeft();
    }

    /** Makes Exchange refuse to send to that address: CreateItem answers ErrorMailRecipientNotFound for it. */
    public ExchangeSimulator rejectRecipient(String address) {
        rejectedRecipients.reject(address);
        return this;
    }

    /** Removes every injected failure: token, mailbox, EWS, Graph and transport faults, and rejected recipients. */
    public void clearFaults() {
        tokenFaults.clear();
        mailboxFaults.clear();
        ewsFaults.clear();
        graphMailboxFaults.clear();
        graphFaults.clear();
        throttledGraphRequests.clear();
        rejectedRecipients.clear();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "exchange-simulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
