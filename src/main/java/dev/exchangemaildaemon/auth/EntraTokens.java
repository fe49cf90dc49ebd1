package dev.exchangemaildaemon.auth;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import jakarta.enterprise.context.ApplicationScoped;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;

import dev.exchangemaildaemon.config.MailConfig;
import io.micrometer.core.instrument.MeterRegistry;
import dev.exchangemaildaemon.config.MailConfig.AuthFlow;

/**
 * Gets OAuth 2.0 tokens from Entra ID with MSAL4J, in the one flow the configuration selects: client
 * credentials (one app-only token shared by every mailbox) or user name and password (one token per user).
 */
@ApplicationScoped
public class EntraTokens {

    /** Entra ID hosts of the Microsoft clouds, where MSAL may validate the authority and discover instances. */
    private static final Set<String> MICROSOFT_HOSTS = Set.of("login.microsoftonline.com", "login.microsoftonline.us",
            "login.partner.microsoftonline.cn", "login.chinacloudapi.cn");
    private static final Pattern AADSTS_CODE = Pattern.compile("AADSTS\\d+");

    private final MailConfig config;
    private final SSLContext tls;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<String, CachedTokens> byPrincipal = new ConcurrentHashMap<>();
    private ConfidentialClientApplication confidentialClient;
    private PublicClientApplication publicClient;

    public EntraTokens(MailConfig config, SSLContext tls, Clock clock, MeterRegistry metrics) {
        this.config = config;
        this.tls = tls;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Tokens for reaching a mailbox: the app's token, or the user's own for the user name/password flow. */
    public AccessTokens forUser(String username, String password) {
        if (config.entra().authFlow() == AuthFlow.CLIENT_SECRET) {
            return byPrincipal.computeIfAbsent("app", key -> new CachedTokens(this::appToken, true, clock));
        }
        return byPrincipal.computeIfAbsent("user:" + username.toLowerCase(java.util.Locale.ROOT),
                key -> new CachedTokens(() -> userToken(username, password), false, clock));
    }

    /**
     * The resource the tokens are for: Microsoft Graph, or for EWS the Exchange server's own origin (e.g.
     * https://outlook.office365.com).
     */
    String resource() {
        if (config.exchange().api() == MailConfig.MailboxApi.GRAPH) {
            URI graph = config.exchange().graphUrl();
            return graph.getScheme() + "://" + graph.getAuthority();
        }
        return "https://" + config.exchange().server();
    }

    /** Delegated scopes: EWS has one for everything; Graph needs reading and sending mail. */
    private Set<String> delegatedScopes() {
        if (config.exchange().api() == MailConfig.MailboxApi.GRAPH) {
            return Set.of(resource() + "/Mail.ReadWrite", resource() + "/Mail.Send");
        }
        return Set.of(resource() + "/EWS.AccessAsUser.All");
    }

    private IAuthenticationResult appToken() throws TokenException {
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(resource() + "/.default"))
                .build();
        return counted("client-secret", () -> await(confidentialClient().acquireToken(parameters), "client credentials"));
    }

    @SuppressWarnings("deprecation") // ROPC: Microsoft discourages it, admins run it today; see README
    private IAuthenticationResult userToken(String username, String password) throws TokenException {
        UserNamePasswordParameters parameters = UserNamePasswordParameters
                .builder(delegatedScopes(), username, password.toCharArray())
                .build();
        return counted("username-password",
                () -> await(publicClient().acquireToken(parameters), "user name/password for " + username));
    }

    /** Counts token requests as {@code mail_token_requests_total{flow, outcome}}, outcome the AADSTS code on failure. */
    private IAuthenticationResult counted(String flow, CachedTokens.TokenRequest request) throws TokenException {
        try {
            IAuthenticationResult result = request.acquire();
            metrics.counter("mail_token_requests", "flow", flow, "outcome", "success").increment();
            return result;
        } catch (TokenException e) {
            metrics.counter("mail_token_requests", "flow", flow, "outcome", e.errorCode().orElse("unknown")).increment();
            throw e;
        }
    }

    private synchronized ConfidentialClientApplication confidentialClient() throws TokenException {
        if (confidentialClient == null) {
            try {
                var builder = ConfidentialClientApplication
                        .builder(clientId(), ClientCredentialFactory.createFromSecret(config.entra().clientSecret().orElseThrow()))
                        .authority(authority())
                        .sslSocketFactory(tls.getSocketFactory());
                if (!isMicrosoftCloud()) {
                    builder.validateAuthority(false).instanceDiscovery(false);
                }
                confidentialClient = builder.build();
            } catch (MalformedURLException e) {
                throw badAuthority(e);
            }
        }
        return confidentialClient;
    }

    private synchronized PublicClientApplication publicClient() throws TokenException {
        if (publicClient == null) {
            try {
                var builder = PublicClientApplication.builder(clientId())
                        .authority(authority())
                        .sslSocketFactory(tls.getSocketFactory());
                if (!isMicrosoftCloud()) {
                    builder.validateAuthority(false).instanceDiscovery(false);
                }
                publicClient = builder.build();
            } catch (MalformedURLException e) {
                throw badAuthority(e);
            }
        }
        return publicClient;
    }

    private String clientId() {
        return config.entra().clientId().orElseThrow();
    }

    private String authority() {
        String host = config.entra().authorityHost().toString().replaceAll("/+$", "");
        return host + "/" + config.entra().tenantId().orElseThrow() + "/";
    }

    private boolean isMicrosoftCloud() {
        URI host = config.entra().authorityHost();
        return MICROSOFT_HOSTS.contains(host.getHost()) && (host.getPort() == -1 || host.getPort() == 443);
    }

    private TokenException badAuthority(MalformedURLException e) {
        return new TokenException("BAD_AUTHORITY",
                "mail.entra.authority-host / tenant-id do not form a valid authority URL: " + e.getMessage(), null);
    }

    private IAuthenticationResult await(Future<IAuthenticationResult> pending, String flow) throws TokenException {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("INTERRUPTED", "interrupted while waiting for a token (" + flow + ")", e);
        } catch (ExecutionException | CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), flow);
        }
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
                return new TokenException("TLS", "TLS with Entra ID at " + config.entra().authorityHost()
                        + " failed (" + flow + "): " + tls.getMessage(), null);
            }
            root = cause;
        }
        return new TokenException("UNREACHABLE", "Entra ID at " + config.entra().authorityHost()
                + " could not be reached (" + flow + "): " + root.getClass().getSimpleName() + ": " + root.getMessage(),
                null);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }
}
