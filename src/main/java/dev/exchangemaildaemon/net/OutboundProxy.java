package dev.exchangemaildaemon.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.exchangemaildaemon.config.MailConfig;

/**
 * The HTTP proxy every outgoing request goes through (Entra ID, EWS, Microsoft Graph alike): {@code mail.proxy.url},
 * or, when that key is absent, the {@code HTTPS_PROXY} environment variable as curl and most tools read it, each
 * with its no-proxy list ({@code mail.proxy.no-proxy}, else {@code NO_PROXY}).
 *
 * <p>HTTPS crosses the proxy in a CONNECT tunnel. A proxy that asks for a user and password is reached through a
 * {@link ProxyRelay} that adds them, since the JDK client's own way (an authenticator) would drop the bearer tokens.
 * A client for a host on the no-proxy list gets no proxy at all.
 */
public final class OutboundProxy {

    /** No proxy at all. */
    public static final OutboundProxy NONE = new OutboundProxy(null, null, null, List.of());

    /** The code of a proxy that answered the tunnel request with an error (a wrong password, a host not allowed). */
    public static final String REFUSED = "PROXY_REFUSED";
    /** The code of a proxy that could not be reached at all. */
    public static final String UNREACHABLE = "PROXY_UNREACHABLE";
    /** How the JDK words a proxy's refusal of a CONNECT tunnel, followed by the proxy's status. */
    public static final String TUNNEL_FAILED = "Tunnel failed, got: ";

    private final InetSocketAddress address;
    private final String user;
    private final String password;
    private final List<String> noProxy;

    private OutboundProxy(InetSocketAddress address, String user, String password, List<String> noProxy) {
        this.address = address;
        this.user = user;
        this.password = password;
        this.noProxy = noProxy;
    }

    /** From the configuration, else from the process environment. */
    public static OutboundProxy of(MailConfig config) {
        return of(config.proxy(), System.getenv());
    }

    static OutboundProxy of(MailConfig.Proxy keys, Map<String, String> environment) {
        if (keys.url().isPresent()) {
            return parse(keys.url().get(), "mail.proxy.url", keys.user(), keys.password(),
                    keys.noProxy().orElse(List.of()));
        }
        Optional<String> fromEnvironment = variable(environment, "HTTPS_PROXY");
        if (fromEnvironment.isEmpty()) {
            return NONE;
        }
        String url = fromEnvironment.get().contains("://") ? fromEnvironment.get() : "http://" + fromEnvironment.get();
        List<String> noProxy = variable(environment, "NO_PROXY").map(list -> Arrays.asList(list.split(",")))
                .orElse(List.of());
        return parse(URI.create(url), "HTTPS_PROXY", Optional.empty(), Optional.empty(), noProxy);
    }

    private static OutboundProxy parse(URI url, String source, Optional<String> user, Optional<String> password,
            List<String> noProxy) {
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(source + " must be http://host:port (the proxy itself is spoken to in"
                    + " plain HTTP; HTTPS goes through it in a CONNECT tunnel), not " + url.getScheme() + "://...");
        }
        String userInfo = url.getRawUserInfo();
        if (user.isEmpty() && userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        }
        List<String> patterns = noProxy.stream().map(entry -> entry.trim().toLowerCase(Locale.ROOT))
                .filter(entry -> !entry.isEmpty()).toList();
        return new OutboundProxy(InetSocketAddress.createUnresolved(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()),
                user.filter(name -> !name.isBlank()).orElse(null), password.orElse(""), patterns);
    }

    private static Optional<String> variable(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).or(() -> Optional.ofNullable(
                environment.get(name.toLowerCase(Locale.ROOT)))).filter(value -> !value.isBlank());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** Whether the proxy answered a tunnel request with an error, somewhere in this chain of causes. */
    public static boolean refusedTunnel(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).startsWith(TUNNEL_FAILED)) {
                return true;
            }
        }
        return false;
    }

    /**
     * When a request to {@code target} failed before any answer, whether this proxy is why: {@link #UNREACHABLE} when
     * the proxy itself cannot be reached now (probed), {@link #REFUSED} when it answered the tunnel request with an
     * error. Empty when the request went direct or the proxy answers and let it through.
     */
    public Optional<String> blame(URI target, Throwable failure) {
        if (address == null || target.getHost() == null || bypasses(target.getHost())) {
            return Optional.empty();
        }
        boolean refused = refusedTunnel(failure);
        boolean notConnected = TransportFailures.connecting(failure);
        if (!refused && !notConnected) {
            return Optional.empty();
        }
        // a relay in front of an authenticating proxy answers 502 when the proxy is gone: probe the proxy itself
        if (!reachable()) {
            return Optional.of(UNREACHABLE);
        }
        return refused ? Optional.of(REFUSED) : Optional.empty();
    }

    /** The proxy's host and port, when there is one. */
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(address);
    }

    /** Whether requests to this host go direct: a no-proxy entry is the host or a domain above it, or {@code *}. */
    public boolean bypasses(String host) {
        if (address == null) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            String domain = entry.startsWith("*.") ? entry.substring(1) : entry;
            domain = domain.startsWith(".") ? domain.substring(1) : domain;
            if (entry.equals("*") || name.equals(domain) || name.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    /** Sets the proxy for requests to {@code target}'s host on a JDK HTTP client, unless that host goes direct. */
    public HttpClient.Builder configure(HttpClient.Builder builder, URI target) {
        if (target.getHost() == null || bypasses(target.getHost())) {
            return builder;
        }
        InetSocketAddress via = user == null ? address : ProxyRelay.to(address, user, password);
        return builder.proxy(ProxySelector.of(via));
    }

    /** Whether a TCP connection to the proxy itself opens within two seconds: tells a refusal from no proxy. */
    public boolean reachable() {
        if (address == null) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        // never the password
        return address == null ? "no proxy" : "proxy " + address.getHostString() + ":" + address.getPort()
                + (user == null ? "" : " as " + user);
    }
}
