package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An in-process stand-in for Microsoft Entra ID's token endpoint and Exchange Online's EWS, served over HTTPS on
 * localhost with a certificate made at start. Tests and the dev profile register apps, users and mailboxes,
 * seed messages, inject faults, and inspect what the daemon did.
 */
public final class ExchangeSimulator {

    static {
        // Read once when the JDK's HTTP server loads: without it every response waits for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final int THREADS = 8;

    private final Clock clock = Clock.systemUTC();
    private final Directory directory;
    private final IssuedTokens tokens = new IssuedTokens(clock);
    private final MailStore store = new MailStore();
    private final MailboxFaults faults = new MailboxFaults();
    private final RequestLog log = new RequestLog();
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
                new TokenEndpoint(directory, tokens, log, clock, baseUri.toString()),
                new UserRealmEndpoint(directory),
                new EwsEndpoint(tokens, store, faults, log, clock, baseUri + "/common/oauth2/authorize")));
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

    /** The server's self-signed certificate as PEM, for a client's trust store. Deleted by {@link #stop()}. */
    public Path caCertificatePem() {
        return tls.certificatePem();
    }

    public String tenantId() {
        return directory.tenantId();
    }

    /** An app that gets app-only tokens (role full_access_as_app) with that client secret. */
    public ExchangeSimulator registerApp(String clientId, String secret) {
        directory.registerApp(clientId, secret);
        return this;
    }

    /** A cloud-only user that gets delegated tokens (EWS.AccessAsUser.All) with that password. */
    public ExchangeSimulator registerUser(String upn, String password) {
        directory.registerUser(upn, password);
        return this;
    }

    /** A mailbox with the distinguished folders msgfolderroot, inbox, sentitems, deleteditems, drafts, junkemail. */
    public ExchangeSimulator addMailbox(String address) {
        store.add(address);
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
     * Delivers a MIME message into a folder, named by distinguished id (such as {@code inbox}) or display name.
     *
     * @return the new item's id
     */
    public String deliver(String address, String folder, byte[] mime, boolean read) {
        synchronized (store) {
            SimMailbox mailbox = store.existing(address);
            return mailbox.add(mailbox.findFolder(folder), mime, read, clock.instant()).id();
        }
    }

    /** The messages in a folder (distinguished id or display name), oldest first. */
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

    /** Every EWS request that passed authentication, in order of arrival. */
    public List<EwsRequestRecord> ewsRequests() {
        return log.ewsRequests();
    }

    public void resetCounters() {
        log.reset();
    }

    /**
     * Makes every EWS request reaching the mailbox fail with that response code, as Exchange fails it: a SOAP
     * fault for request-level codes such as ErrorNonExistentMailbox, else an error response message.
     */
    public void failMailbox(String address, String responseCode) {
        faults.fail(address, responseCode);
    }

    public void clearFaults() {
        faults.clear();
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
