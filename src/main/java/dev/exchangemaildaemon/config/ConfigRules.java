package dev.exchangemaildaemon.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.config.MailConfig.AuthFlow;
import dev.exchangemaildaemon.config.MailConfig.MailboxConfig;
import dev.exchangemaildaemon.config.MailConfig.TargetType;
import dev.exchangemaildaemon.delivery.LmtpAddress;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The rules that span several keys, checked once at startup. Every broken rule is reported, each naming
 * its key, and the daemon does not start until they all hold.
 */
@ApplicationScoped
public class ConfigRules {

    /** One '@', and neither whitespace, control characters nor path separators on either side of it. */
    private static final Logger LOG = Logger.getLogger(ConfigRules.class);
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s\\p{Cc}/\\\\]+@[^@\\s\\p{Cc}/\\\\]+");

    void check(@Observes @Priority(10) StartupEvent event, MailConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            // logged too, one line each, at ERROR: Quarkus prints the exception on stderr without a level
            problems.forEach(problem -> LOG.errorf("Invalid configuration: %s", problem));
            throw new ConfigurationException("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    public static List<String> problems(MailConfig config) {
        List<String> problems = new ArrayList<>();
        MailConfig.Entra entra = config.entra();
        if (blank(entra.tenantId())) {
            problems.add("mail.entra.tenant-id is missing: set the Directory (tenant) ID from the app registration's Overview");
        }
        if (blank(entra.clientId())) {
            problems.add("mail.entra.client-id is missing: set the Application (client) ID from the app registration's Overview");
        }
        List<MailboxConfig> enabled = config.incoming().mailboxes().stream().filter(MailboxConfig::enabled).toList();
        boolean anyPassword = !blank(config.send().password())
                || enabled.stream().anyMatch(mailbox -> !blank(mailbox.password()));
        if (entra.authFlow() == AuthFlow.CLIENT_SECRET) {
            if (blank(entra.clientSecret())) {
                problems.add("mail.entra.client-secret is missing: the client-secret flow needs the secret's Value");
            } else if (anyPassword) {
                problems.add("mail.entra.client-secret and user passwords are both set, but only one authentication"
                        + " method can be active at a time: remove the passwords (mail.send.password,"
                        + " mail.incoming.mailboxes[*].password) or set mail.entra.auth-flow: username-password"
                        + " and remove the client secret");
            }
        } else if (entra.authFlow() == AuthFlow.USERNAME_PASSWORD) {
            if (!blank(entra.clientSecret())) {
                problems.add("mail.entra.client-secret is set, but mail.entra.auth-flow is username-password and only"
                        + " one authentication method can be active at a time: remove the client secret or set"
                        + " mail.entra.auth-flow: client-secret");
            }
            List<MailboxConfig> all = config.incoming().mailboxes();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).enabled() && blank(all.get(i).password())) {
                    problems.add("mail.incoming.mailboxes[" + i + "].password is missing for " + all.get(i).address()
                            + ": the username-password flow needs each mailbox's password");
                }
            }
            if (config.send().sender().isPresent() && blank(config.send().password())) {
                problems.add("mail.send.password is missing: the username-password flow needs the sender's password");
            }
        } else {
            problems.addAll(appCredentialProblems(config, anyPassword));
        }
        positive(problems, "mail.incoming.poll-interval", config.incoming().pollInterval());
        // a zero or negative timeout would reach the HTTP client's builder and stop the start with a stack trace
        positive(problems, "mail.entra.token-timeout", config.entra().tokenTimeout());
        positive(problems, "mail.exchange.request-timeout", config.exchange().requestTimeout());
        positive(problems, "mail.outgoing.pickup-interval", config.outgoing().pickupInterval());
        if (config.check().retryFor().isNegative()) {
            problems.add("mail.check.retry-for must not be negative, not " + config.check().retryFor());
        }
        if (config.exchange().maxConcurrentRequests() < 1) {
            problems.add("mail.exchange.max-concurrent-requests must be at least 1");
        }
        if (config.incoming().parallelPolls() < 1) {
            problems.add("mail.incoming.parallel-polls must be at least 1");
        }
        if (config.send().rateLimit() < 1) {
            problems.add("mail.send.rate-limit must be at least 1 (test sends per mail.send.rate-window)");
        }
        positive(problems, "mail.send.rate-window", config.send().rateWindow());
        if (enabled.isEmpty()) {
            problems.add("mail.incoming.mailboxes has no enabled mailbox: add at least one with its address");
        }
        Set<String> seen = new HashSet<>();
        List<MailboxConfig> all = config.incoming().mailboxes();
        for (int i = 0; i < all.size(); i++) {
            String key = "mail.incoming.mailboxes[" + i + "].address";
            addressProblem(all.get(i).address()).ifPresent(problem -> problems.add(key + " " + problem));
            if (!seen.add(all.get(i).address().trim().toLowerCase(Locale.ROOT))) {
                problems.add(key + " " + all.get(i).address() + " is listed twice");
            }
        }
        if (config.incoming().afterDelivery() == AfterDelivery.MOVE && config.incoming().moveToFolder().isBlank()) {
            problems.add("mail.incoming.move-to-folder is empty, but after-delivery is move");
        } else if (config.incoming().afterDelivery() == AfterDelivery.MOVE) {
            folderPathProblem(config.incoming().moveToFolder())
                    .ifPresent(problem -> problems.add("mail.incoming.move-to-folder " + problem));
        }
        problems.addAll(insecureUrls(config));
        problems.addAll(proxyProblems(config.proxy()));
        writable(config.incoming().maildir(), "mail.incoming.maildir").ifPresent(problems::add);
        writable(config.incoming().stateDir(), "mail.incoming.state-dir").ifPresent(problems::add);
        problems.addAll(outgoingProblems(config));
        problems.addAll(targetProblems(config));
        return problems;
    }

    /** Each enabled mailbox's delivery target, as it resolves from its own keys and the defaults, must work. */
    private static List<String> targetProblems(MailConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.incoming().maxCommands() < 1) {
            problems.add("mail.incoming.max-commands must be at least 1");
        }
        if (config.incoming().target().path().isPresent()) {
            problems.add("mail.incoming.target.path names one mailbox's Maildir: set it in that mailbox's target"
                    + " (mail.incoming.maildir is the root of the others)");
        }
        List<MailboxConfig> all = config.incoming().mailboxes();
        for (int i = 0; i < all.size(); i++) {
            MailboxConfig mailbox = all.get(i);
            if (mailbox.enabled()) {
                Set<String> names = new HashSet<>();
                Set<String> subfolders = new HashSet<>();
                for (FolderSettings folder : FolderSettings.of(config.incoming(), mailbox, i)) {
                    String name = folder.name().strip().toLowerCase(Locale.ROOT);
                    Optional<String> pathProblem = folderPathProblem(folder.name());
                    if (name.isEmpty() || name.equals(".") || name.contains("..")) {
                        problems.add(folder.key() + " '" + folder.name() + "' is no folder name");
                    } else if (pathProblem.isPresent()) {
                        problems.add(folder.key() + " " + pathProblem.get());
                    } else if (!names.add(FolderPath.join(FolderPath.segments(name)))) {
                        problems.add(folder.key() + " " + folder.name() + " is listed twice for " + mailbox.address());
                    } else if (folder.maildirSubfolder().isPresent() && !subfolders.add(folder.maildirSubfolder().get())) {
                        // A.P and A/P, or A\/P and A_P: one Maildir++ name, so two folders' mail would mix
                        problems.add(folder.key() + " " + folder.name() + " would share the Maildir++ subfolder "
                                + folder.maildirSubfolder().get() + " with another folder of " + mailbox.address()
                                + ": give one a target.path of its own");
                    }
                    problems.addAll(targetProblems(folder.target()));
                }
            }
        }
        return problems.stream().distinct().toList(); // a default's problem once, not once per mailbox
    }

    /** What is wrong with a folder path ({@code Invoices/Incoming}), if anything: an empty display name in it. */
    private static Optional<String> folderPathProblem(String path) {
        try {
            FolderPath.segments(path);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    static List<String> targetProblems(TargetSettings target) {
        List<String> problems = new ArrayList<>();
        String key = target.key();
        if (target.timeout().isZero() || target.timeout().isNegative()) {
            problems.add(key + ".timeout must be positive, not " + target.timeout());
        }
        if (target.path().isPresent() && target.type() != TargetType.MAILDIR) {
            problems.add(key + ".path is for type maildir, but the type is " + lower(target.type()));
        }
        switch (target.type()) {
            case MAILDIR -> {
            }
            case COMMAND -> {
                if (target.command().isEmpty() || target.command().get(0).isBlank()) {
                    problems.add(key + ".command is missing: type command needs the program to run, and its"
                            + " arguments, as a list");
                } else if (target.command().get(0).startsWith("/") && !Files.isExecutable(Path.of(target.command().get(0)))) {
                    problems.add(key + ".command[0] " + target.command().get(0) + " is not an executable file");
                }
            }
            case LMTP -> {
                if (target.lmtp().isEmpty()) {
                    problems.add(key + ".lmtp is missing: type lmtp needs the server, a Unix socket's path or"
                            + " host:port");
                } else {
                    try {
                        LmtpAddress.parse(target.lmtp().get());
                    } catch (IllegalArgumentException e) {
                        problems.add(key + ".lmtp " + e.getMessage());
                    }
                }
                if (!target.recipient().matches("[^@\\s<>\\p{Cc}]+@[^@\\s<>\\p{Cc}]+")) {
                    problems.add(key + ".recipient '" + target.recipient().replaceAll("\\p{Cc}", "?")
                            + "' is not an email address (local@domain, without spaces or < >)");
                }
            }
        }
        return problems;
    }

    /** The client-certificate and workload-identity flows: their own credential, and no secret or password beside it. */
    private static List<String> appCredentialProblems(MailConfig config, boolean anyPassword) {
        MailConfig.Entra entra = config.entra();
        String flow = entra.authFlow() == AuthFlow.CLIENT_CERTIFICATE ? "client-certificate" : "workload-identity";
        List<String> problems = new ArrayList<>();
        if (!blank(entra.clientSecret())) {
            problems.add("mail.entra.client-secret is set, but mail.entra.auth-flow is " + flow + " and only one"
                    + " authentication method can be active at a time: remove the client secret");
        }
        if (anyPassword) {
            problems.add("user passwords are set (mail.send.password, mail.incoming.mailboxes[*].password), but"
                    + " mail.entra.auth-flow is " + flow + " and only one authentication method can be active at a"
                    + " time: remove the passwords");
        }
        if (entra.authFlow() == AuthFlow.CLIENT_CERTIFICATE) {
            boolean pem = entra.certificate().isPresent() || entra.privateKey().isPresent();
            if (pem && entra.certificateStore().isPresent()) {
                problems.add("mail.entra.certificate-store and mail.entra.certificate/private-key are both set: use"
                        + " either the PKCS#12 file or the two PEM files");
            } else if (pem && (entra.certificate().isEmpty() || entra.privateKey().isEmpty())) {
                problems.add("mail.entra." + (entra.certificate().isEmpty() ? "certificate" : "private-key")
                        + " is missing: the PEM certificate and its private key go together");
            } else if (!pem && entra.certificateStore().isEmpty()) {
                problems.add("mail.entra.certificate and mail.entra.private-key (PEM files), or"
                        + " mail.entra.certificate-store (PKCS#12), are missing: the client-certificate flow needs"
                        + " the app's certificate and its private key");
            }
        } else if (WorkloadIdentity.tokenFile(entra).isEmpty()) {
            problems.add("mail.entra.federated-token-file is missing, and AZURE_FEDERATED_TOKEN_FILE is not set: the"
                    + " workload-identity flow needs the projected service account token (label the pod"
                    + " azure.workload.identity/use: \"true\")");
        }
        return problems;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * An address names its Maildir and delivery record, so it must be a plain {@code local@domain}: no path
     * separator, no {@code ..}, no whitespace or control character (which also keeps it out of log lines).
     */
    static Optional<String> addressProblem(String address) {
        String shown = address.replaceAll("\\p{Cc}", "?");
        if (!ADDRESS.matcher(address).matches()) {
            return Optional.of("'" + shown + "' is not an email address (local@domain, without spaces, '/' or '\\')");
        }
        if (address.contains("..") || address.startsWith(".") || address.endsWith(".")) {
            return Optional.of("'" + shown + "' is not an email address: '..' or a dot at either end cannot name a"
                    + " Maildir");
        }
        return Optional.empty();
    }

    /** Secrets and tokens cross these URLs: https only, unless plain http is allowed for a test server. */
    private static List<String> insecureUrls(MailConfig config) {
        Map<String, Optional<URI>> urls = new LinkedHashMap<>();
        urls.put("mail.entra.authority-host", config.entra().authorityHost());
        urls.put("mail.exchange.ews-url", config.exchange().ewsUrl());
        urls.put("mail.exchange.graph-url", config.exchange().graphUrl());
        List<String> problems = new ArrayList<>();
        urls.forEach((key, url) -> url.ifPresent(uri -> {
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            if (scheme.equals("https") || scheme.equals("http") && config.exchange().allowInsecureHttp()) {
                return;
            }
            // Scheme and host only: a URL may carry user:password@.
            String shown = scheme.isEmpty() ? "without a scheme" : "starts with " + scheme + "://" + uri.getHost();
            problems.add(key + " " + shown + ", but it must be an https:// URL" + (scheme.equals("http")
                    ? ": over http:// the secrets and tokens would cross the network in clear text"
                            + " (mail.exchange.allow-insecure-http: true allows it, for a test server only)"
                    : ""));
        }));
        return problems;
    }

    /** The proxy is spoken to in plain HTTP (HTTPS crosses it in a tunnel); a user needs the proxy it is for. */
    private static List<String> proxyProblems(MailConfig.Proxy proxy) {
        List<String> problems = new ArrayList<>();
        proxy.url().ifPresent(url -> {
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                problems.add("mail.proxy.url must be http://host:port, not " + Optional.ofNullable(url.getScheme())
                        .map(scheme -> scheme + "://...").orElse("without a scheme")
                        + " (HTTPS requests cross the proxy in a CONNECT tunnel)");
            }
        });
        if (proxy.url().isEmpty() && (proxy.user().isPresent() || proxy.password().isPresent())) {
            problems.add("mail.proxy.user or mail.proxy.password is set without mail.proxy.url");
        }
        return problems;
    }

    /** Outgoing mail needs senders, each an address with credentials to send as it. */
    private static List<String> outgoingProblems(MailConfig config) {
        List<String> problems = new ArrayList<>();
        MailConfig.Outgoing outgoing = config.outgoing();
        List<String> senders = outgoing.senders().orElse(List.of());
        if ((outgoing.smtp().enabled() || outgoing.pickup().isPresent()) && senders.isEmpty()) {
            problems.add("mail.outgoing.senders is empty, but mail.outgoing.smtp.enabled is true or mail.outgoing.pickup is set:"
                    + " list the mailboxes local software may send as");
        }
        for (int i = 0; i < senders.size(); i++) {
            String sender = senders.get(i);
            if (!sender.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+")) {
                problems.add("mail.outgoing.senders[" + i + "] '" + sender + "' is not an email address");
            } else if (config.entra().authFlow() == AuthFlow.USERNAME_PASSWORD && !hasPassword(config, sender)) {
                problems.add("mail.outgoing.senders[" + i + "] " + sender + " has no password: in the"
                        + " username-password flow, make it mail.send.sender with mail.send.password, or an incoming"
                        + " mailbox with a password");
            }
        }
        MailConfig.Smtp smtp = outgoing.smtp();
        if (smtp.username().isPresent() != smtp.password().isPresent()) {
            problems.add("mail.outgoing.smtp.username and mail.outgoing.smtp.password go together: set both for AUTH,"
                    + " or neither");
        }
        if (smtp.password().isPresent() && smtp.password().equals(config.entra().clientSecret())) {
            problems.add("mail.outgoing.smtp.password is the Entra ID client secret: give the SMTP port a password of"
                    + " its own");
        }
        if (smtp.enabled() && !loopback(smtp.host())) {
            // on any other interface, anyone who reaches the port could send as the senders to anyone
            if (smtp.username().isEmpty() || smtp.keyStore().isEmpty()) {
                problems.add("mail.outgoing.smtp.host " + smtp.host() + " is not a loopback address: anyone on the"
                        + " network could send as mail.outgoing.senders; keep it 127.0.0.1, or set"
                        + " mail.outgoing.smtp.username, password and key-store (AUTH after STARTTLS)");
            }
        }
        if (smtp.keyStore().isPresent() && !Files.isReadable(smtp.keyStore().get())) {
            problems.add("mail.outgoing.smtp.key-store " + smtp.keyStore().get().toAbsolutePath() + " cannot be read");
        }
        if (outgoing.maxMessageSize() <= 0) {
            problems.add("mail.outgoing.max-message-size must be a positive number of bytes");
        }
        if (outgoing.pickupSettle().isNegative()) {
            problems.add("mail.outgoing.pickup-settle must not be negative (PT0S takes each file at once)");
        }
        outgoing.pickup().flatMap(dir -> writable(dir, "mail.outgoing.pickup")).ifPresent(problems::add);
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add(key + " must be positive, not " + value);
        }
    }

    /** 127.0.0.0/8, ::1 or localhost, judged from the text alone: no name is looked up while reading the file. */
    private static boolean loopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || bare.equals("::1")
                || bare.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    }

    private static boolean hasPassword(MailConfig config, String sender) {
        if (config.send().sender().filter(sender::equalsIgnoreCase).isPresent()) {
            return !blank(config.send().password());
        }
        return config.incoming().mailboxes().stream()
                .anyMatch(mailbox -> mailbox.address().equalsIgnoreCase(sender) && !blank(mailbox.password()));
    }

    private static boolean blank(Optional<String> value) {
        return value.map(String::isBlank).orElse(true);
    }

    /** Creates the directory if needed and proves a file can be written in it. */
    private static Optional<String> writable(Path directory, String key) {
        try {
            Files.createDirectories(directory);
            Path probe = Files.createTempFile(directory, ".write-test", "");
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of(key + " " + directory.toAbsolutePath() + " is not writable: " + e);
        }
    }
}
