package dev.exchangemaildaemon.auth;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.microsoft.aad.msal4j.AbstractClientApplicationBase;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.WorkloadIdentity;
import dev.exchangemaildaemon.net.OutboundProxy;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gets OAuth 2.0 tokens from Entra ID with MSAL4J, in the one flow the configuration selects: client
 * credentials (one app-only token shared by every mailbox; the app proves itself with a client secret, a
 * certificate or a federated Kubernetes token) or user name and password (one token per user).
 *
 * <p>Every wait is bounded by {@code mail.entra.token-timeout}: each request MSAL4J sends ({@link MsalHttp}) ends
 * after that long (MSAL4J's own default is no timeout: a token endpoint that takes the connection and never answers
 * would hold the request forever), and a caller waits that long at most for an answer ({@link CachedTokens}). Requests run on
 * threads of their own rather than on the common pool, where a few stalled ones would hold up every other.
 */
@ApplicationScoped
public class EntraTokens {

    /** Entra ID hosts of the Microsoft clouds, where MSAL may validate the authority and discover instances. */
    private static final Set<String> MICROSOFT_HOSTS = Set.of("login.microsoftonline.com", "login.microsoftonline.us",
            "login.partner.microsoftonline.cn", "login.chinacloudapi.cn");
    private static final Pattern AADSTS_CODE = Pattern.compile("AADSTS\\d+");


    private final MailConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final OutboundProxy proxy;
    private final MsalHttp http;
    private final Map<String, CachedTokens> byPrincipal = new ConcurrentHashMap<>();
    private final ExecutorService requests = Executors.newCachedThreadPool(daemonThreads());
    private ConfidentialClientApplication confidentialClient;
    /** The certificate files as the client was built from them ({@link AppCertificate#filesStamp}). */
    private String certificateFiles;
    private PublicClientApplication publicClient;
    private Optional<FederatedToken> federatedToken = Optional.empty();

    public EntraTokens(MailConfig config, SSLContext tls, Clock clock, MeterRegistry metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.proxy = OutboundProxy.of(config);
        this.http = new MsalHttp(tls, config.entra().tokenTimeout(), proxy, config.endpoints().authorityHost());
    }

    /** Tokens for reaching a mailbox: the app's token, or the user's own for the user name/password flow. */
    public AccessTokens forUser(String username, String password) {
        Duration deadline = config.entra().tokenTimeout();
        if (config.entra().authFlow().appOnly()) {
            return byPrincipal.computeIfAbsent("app",
                    key -> new CachedTokens("client credentials", () -> appToken(resource()), true, clock, deadline));
        }
        String flow = "user name/password for " + username;
        return byPrincipal.computeIfAbsent("user:" + username.toLowerCase(Locale.ROOT),
                key -> new CachedTokens(flow, () -> userToken(username, password, flow), false, clock, deadline));
    }

    @PreDestroy
    void stop() {
        requests.shutdownNow();
    }

    /**
     * The app's token for Microsoft Graph whichever API {@code mail.exchange.api} selects (client-secret flow): the
     * check asks Graph whether it is EWS alone that refuses the app.
     */
    public AccessTokens appTokensForGraph() {
        return byPrincipal.computeIfAbsent("app:graph",
                key -> new CachedTokens("client credentials", () -> appToken(graphResource()), true, clock,
                        config.entra().tokenTimeout()));
    }

    /**
     * The resource the tokens are for: Microsoft Graph's identifier (never graph-url's host, which may be a proxy),
     * or for EWS the Exchange server's own origin (e.g. https://outlook.office365.com).
     */
    String resource() {
        if (config.exchange().api() == MailConfig.MailboxApi.GRAPH) {
            return graphResource();
        }
        return config.endpoints().ewsResource();
    }

    private String graphResource() {
        return config.endpoints().graphResource().toString().replaceAll("/+$", "");
    }

    /** Delegated scopes: EWS has one for everything; Graph needs reading and sending mail. */
    private Set<String> delegatedScopes() {
        if (config.exchange().api() == MailConfig.MailboxApi.GRAPH) {
            return Set.of(resource() + "/Mail.ReadWrite", resource() + "/Mail.Send");
        }
        return Set.of(resource() + "/EWS.AccessAsUser.All");
    }

    /**
     * Always from Entra ID, never MSAL4J's own cache: {@link CachedTokens} asks only when it has no token fit to use
     * (none yet, one due for renewal, or one Exchange refused), and MSAL4J would hand back that same token for up to
     * an hour, undoing the renewal or the refusal.
     */
    private CompletableFuture<IAuthenticationResult> appToken(String resource) {
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(resource + "/.default"))
                .skipCache(true)
                .build();
        return requested(flowName(), "client credentials", () -> {
            ConfidentialClientApplication client = confidentialClient();
            if (federatedToken.isPresent()) {
                federatedToken.get().read();
            }
            return client.acquireToken(parameters);
        });
    }

    /**
     * MSAL4J stores the user's token but never looks in its cache for this flow (only a silent request would), so
     * each call reaches Entra ID and no option like the app flow's {@code skipCache} is needed or offered.
     */
    @SuppressWarnings("deprecation") // ROPC: Microsoft discourages it, admins run it today; see README
    private CompletableFuture<IAuthenticationResult> userToken(String username, String password, String flow) {
        UserNamePasswordParameters parameters = UserNamePasswordParameters
                .builder(delegatedScopes(), username, password.toCharArray())
                .build();
        return requested("username-password", flow, () -> publicClient().acquireToken(parameters));
    }

    @FunctionalInterface
    private interface Acquisition {
        CompletableFuture<IAuthenticationResult> start() throws TokenException;
    }

    /**
     * Starts a request whose failure is a {@link TokenException} naming the flow, counted as
     * {@code exchange_mail_token_requests_total{flow, outcome}}, outcome the AADSTS code on failure.
     */
    private CompletableFuture<IAuthenticationResult> requested(String metricFlow, String flow, Acquisition start) {
        CompletableFuture<IAuthenticationResult> answer;
        try {
            answer = start.start();
        } catch (TokenException | RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((result, failure) -> {
            if (failure == null) {
                metrics.counter("exchange_mail_token_requests", "flow", metricFlow, "outcome", "success").increment();
                return result;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            TokenException error = cause instanceof TokenException known ? known : translate(cause, flow);
            metrics.counter("exchange_mail_token_requests", "flow", metricFlow, "outcome",
                    error.errorCode().orElse("unknown")).increment();
            throw new CompletionException(error);
        });
    }

    private synchronized ConfidentialClientApplication confidentialClient() throws TokenException {
        if (config.entra().authFlow() == MailConfig.AuthFlow.CLIENT_CERTIFICATE) {
            String stamp = AppCertificate.filesStamp(config.entra());
            if (!stamp.equals(certificateFiles)) {
                // renewed (cert-manager, or by hand): sign with the new one, whose old one may be gone from Entra ID
                confidentialClient = null;
                certificateFiles = stamp;
            }
        }
        if (confidentialClient == null) {
            try {
                confidentialClient = configured(ConfidentialClientApplication.builder(clientId(), appCredential())
                        .sendX5c(config.entra().sendX5c())).build();
            } catch (MalformedURLException e) {
                throw badAuthority(e);
            }
        }
        return confidentialClient;
    }

    /**
     * The app's credential in its flow. A certificate is loaded when the first token is asked for, again after a
     * failure, and again once its files changed, so that a file put right or renewed is used without a restart.
     */
    private IClientCredential appCredential() throws TokenException {
        MailConfig.Entra entra = config.entra();
        return switch (entra.authFlow()) {
            case CLIENT_CERTIFICATE -> {
                AppCertificate certificate = AppCertificate.load(entra);
                yield ClientCredentialFactory.createFromCertificateChain(certificate.key(), certificate.chain());
            }
            case WORKLOAD_IDENTITY -> {
                FederatedToken token = new FederatedToken(WorkloadIdentity.tokenFile(entra).orElseThrow());
                federatedToken = Optional.of(token);
                // MSAL4J calls back for every token request: the kubelet rotates the file, so it is read each time
                yield ClientCredentialFactory.createFromCallback(token::read);
            }
            default -> ClientCredentialFactory.createFromSecret(entra.clientSecret().orElseThrow());
        };
    }

    private String flowName() {
        return config.entra().authFlow().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private synchronized PublicClientApplication publicClient() throws TokenException {
        if (publicClient == null) {
            try {
                publicClient = configured(PublicClientApplication.builder(clientId())).build();
            } catch (MalformedURLException e) {
                throw badAuthority(e);
            }
        }
        return publicClient;
    }

    /** Either flow's MSAL client: the authority, its HTTP client (this daemon's TLS, timeouts, proxy) and threads. */
    private <T extends AbstractClientApplicationBase.Builder<T>> T configured(T builder) throws MalformedURLException {
        builder.authority(authority())
                .httpClient(http)
                .executorService(requests);
        if (!isMicrosoftCloud()) {
            builder.validateAuthority(false).instanceDiscovery(false);
        }
        return builder;
    }

    private String clientId() {
        return config.entra().clientId().orElseThrow();
    }

    private String authority() {
        String host = config.endpoints().authorityHost().toString().replaceAll("/+$", "");
        return host + "/" + config.entra().tenantId().orElseThrow() + "/";
    }

    private boolean isMicrosoftCloud() {
        URI host = config.endpoints().authorityHost();
        return MICROSOFT_HOSTS.contains(host.getHost()) && (host.getPort() == -1 || host.getPort() == 443);
    }

    private TokenException badAuthority(MalformedURLException e) {
        return new TokenException("BAD_AUTHORITY",
                "mail.entra.authority-host / tenant-id do not form a valid authority URL: " + e.getMessage(), null);
    }

    private TokenException translate(Throwable failure, String flow) {
        if (failure instanceof MsalServiceException service) {
            String description = firstLine(service.getMessage());
            Matcher code = AADSTS_CODE.matcher(description);
            return new TokenException(code.find() ? code.group() : service.errorCode(),
                    "Entra ID refused the token request (" + flow + "): " + description, null);
        }
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.net.ssl.SSLException tls) {
                return new TokenException("TLS", "TLS with Entra ID at " + config.endpoints().authorityHost()
                        + " failed (" + flow + "): " + tls.getMessage(), null);
            }
            root = cause;
        }
        String why = root.getClass().getSimpleName() + ": " + root.getMessage();
        Optional<String> proxyFault = proxy.blame(config.endpoints().authorityHost(), failure);
        if (proxyFault.filter(OutboundProxy.UNREACHABLE::equals).isPresent()) {
            return new TokenException(OutboundProxy.UNREACHABLE, "The " + proxy + " could not be reached ("
                    + flow + "): " + why, null);
        }
        if (proxyFault.isPresent()) {
            return new TokenException(OutboundProxy.REFUSED, "The " + proxy + " refused the tunnel to Entra ID"
                    + " at " + config.endpoints().authorityHost() + " (" + flow + "): " + why, null);
        }
        return new TokenException("UNREACHABLE", "Entra ID at " + config.endpoints().authorityHost()
                + " could not be reached (" + flow + "): " + why, null);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "entra-token-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
