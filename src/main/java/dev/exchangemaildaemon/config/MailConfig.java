package dev.exchangemaildaemon.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The whole configuration, mirroring the YAML under {@code mail:} one to one. Rules that span several keys
 * are checked at startup by {@link ConfigRules}.
 */
@ConfigMapping(prefix = "mail")
public interface MailConfig {

    /** The app registration in Microsoft Entra ID. */
    Entra entra();

    /** Where the Exchange Web Services endpoint is. */
    Exchange exchange();

    /** The test send's sender. */
    Send send();

    /** Polling and local delivery. */
    Incoming incoming();

    /** The admin API under /api. */
    Api api();

    /** The setup check (POST /api/check, the check command). */
    Check check();

    /** Outgoing mail from local software: an SMTP submission port and a pickup directory, both off by default. */
    Outgoing outgoing();

    /** The HTTP proxy for all outgoing requests; without {@code url}, {@code HTTPS_PROXY} and {@code NO_PROXY} count. */
    Proxy proxy();

    /** Where Entra ID, EWS and Graph are: the cloud's hosts, each overridden by its own key. */
    default Endpoints endpoints() {
        return Endpoints.of(this);
    }

    interface Entra {
        /** Directory (tenant) ID of the app registration. */
        Optional<String> tenantId();

        /** Application (client) ID of the app registration. */
        Optional<String> clientId();

        /**
         * Which OAuth 2.0 flow gets tokens: {@code client-certificate} (Microsoft's advice for daemons),
         * {@code client-secret}, {@code workload-identity} (Kubernetes on Azure, no secret at all) or
         * {@code username-password}.
         */
        @WithDefault("client-secret")
        AuthFlow authFlow();

        /** The client secret's Value (not its ID); client-secret flow only. */
        Optional<String> clientSecret();

        /**
         * The day the client secret expires (its "Expires" column under Certificates &amp; secrets), such as
         * {@code 2027-06-30}: the daemon then reports the days left and warns from 30 days before. Optional.
         */
        Optional<LocalDate> clientSecretExpires();

        /** The app's certificate as a PEM file (client-certificate flow), with {@link #privateKey()}. */
        Optional<Path> certificate();

        /** The certificate's private key as an unencrypted PKCS#8 PEM file ({@code BEGIN PRIVATE KEY}). */
        Optional<Path> privateKey();

        /** Instead of the two PEM files: a PKCS#12 file (.pfx, .p12) with the certificate and its private key. */
        Optional<Path> certificateStore();

        /** The password of {@link #certificateStore()}; a secret. */
        Optional<String> certificateStorePassword();

        /**
         * Whether each token request carries the certificate chain ({@code x5c}), which subject name and issuer
         * authentication needs (a certificate from a CA, trusted by name rather than uploaded). Off: the uploaded
         * certificate is found by its SHA-256 thumbprint.
         */
        @WithDefault("false")
        boolean sendX5c();

        /**
         * The file a Kubernetes service account token is projected into (workload-identity flow); it is read again
         * for every token request, as the kubelet rotates it. Defaults to {@code AZURE_FEDERATED_TOKEN_FILE}, which
         * the Azure Workload Identity webhook sets, as it sets {@code AZURE_TENANT_ID} and {@code AZURE_CLIENT_ID}.
         */
        Optional<Path> federatedTokenFile();

        /**
         * The Microsoft cloud of the tenant: {@code global}, {@code usgov} (GCC High), {@code usgov-dod} or
         * {@code china} (21Vianet). It sets the Entra ID host, the Exchange server, the Graph URL and the token
         * resources; {@code authority-host}, {@code mail.exchange.server}, {@code graph-url} and
         * {@code graph-resource} still override it one by one.
         */
        @WithDefault("global")
        Cloud cloud();

        /** Entra ID host; by default the cloud's ({@code https://login.microsoftonline.com}). Tests point it at a fake. */
        Optional<URI> authorityHost();

        /**
         * The most a poll waits for a token, and the connect and read timeout of each request MSAL4J sends to Entra
         * ID (whose own default is none). A token request still unanswered then delays only its own principal's
         * mailboxes (the app's, or one user's) and is retried with their next polls.
         */
        @WithDefault("PT30S")
        Duration tokenTimeout();
    }

    enum MailboxApi {
        EWS, GRAPH
    }

    enum AuthFlow {
        CLIENT_SECRET, CLIENT_CERTIFICATE, WORKLOAD_IDENTITY, USERNAME_PASSWORD;

        /** The app's own credential, one app-only token for all mailboxes; else each user's password. */
        public boolean appOnly() {
            return this != USERNAME_PASSWORD;
        }
    }

    interface Exchange {
        /**
         * How mailboxes are reached: {@code ews} (Exchange Web Services; Exchange Server, and Exchange Online
         * until 2027-04-01 where the tenant allows it) or {@code graph} (Microsoft Graph, Exchange Online).
         */
        @WithDefault("ews")
        MailboxApi api();

        /**
         * Microsoft Graph's base URL (a reverse proxy or private endpoint, tests); by default the cloud's
         * ({@code https://graph.microsoft.com/v1.0}).
         */
        Optional<URI> graphUrl();

        /**
         * The resource Graph tokens are for, their audience: Graph's own identifier, whatever host
         * {@code graph-url} names; by default the cloud's ({@code https://graph.microsoft.com}).
         */
        Optional<URI> graphResource();

        /** EWS host name, also the EWS token resource; by default the cloud's ({@code outlook.office365.com}). */
        Optional<String> server();

        /** EWS port. */
        @WithDefault("443")
        int port();

        /** Full EWS URL; overrides {@code https://{server}:{port}/EWS/Exchange.asmx}. */
        Optional<URI> ewsUrl();

        /** PEM file of extra CA certificates, trusted by token and EWS calls alike. */
        Optional<Path> trustStore();

        /**
         * Time allowed for one EWS or Graph request, from connect to the last byte. A message body (EWS GetItem's
         * MimeContent, Graph's {@code $value}) is not held to it as a whole, since a large message on a slow link
         * takes longer: it fails when no byte arrives for this long.
         */
        @WithDefault("PT2M")
        Duration requestTimeout();

        /**
         * How many EWS requests may be in flight at once, across all mailboxes. Exchange Online allows 27
         * concurrent EWS connections per user, and with impersonation they count against the mailbox; requests
         * beyond this cap wait their turn.
         */
        @WithDefault("8")
        int maxConcurrentRequests();

        /**
         * Allows {@code http://} for {@code mail.entra.authority-host}, {@code mail.exchange.ews-url} and
         * {@code mail.exchange.graph-url}: for a test server only. Over plain HTTP the client secret or password and
         * every access token cross the network in clear text, so without this the daemon refuses to start.
         */
        @WithDefault("false")
        boolean allowInsecureHttp();

    }

    interface Send {
        /** The From address of the test send; also the mailbox whose Sent Items keep the copy. */
        Optional<String> sender();

        /** User name for the sender; username-password flow only. Defaults to the sender. */
        Optional<String> username();

        /** Password for the sender; username-password flow only. */
        Optional<String> password();

        /**
         * Other addresses a test send may come from ({@code from} of the API, {@code --from} of the command), beside
         * {@link #sender()}. Any other sender is refused (HTTP 403): with an app token the daemon could send as any
         * mailbox of the tenant, so the test send must not become a relay.
         */
        Optional<List<String>> allowedSenders();

        /** How many test sends are allowed per {@link #rateWindow()}; more are refused (HTTP 429 with Retry-After). */
        @WithDefault("5")
        int rateLimit();

        /** The sliding window of {@link #rateLimit()}. */
        @WithDefault("PT1M")
        Duration rateWindow();
    }

    interface Incoming {
        /** How often each mailbox is polled; a bare number means minutes ("60", "0.5"). */
        @WithDefault("60m")
        @WithConverter(MinutesDurationConverter.class)
        Duration pollInterval();

        /** Root of the Maildirs, one per mailbox: {@code {maildir}/{address}/{tmp,new,cur}}. */
        @WithDefault("/var/lib/exchange-mail-daemon/maildir")
        Path maildir();

        /** Where sync state and the record of delivered messages survive restarts. */
        @WithDefault("/var/lib/exchange-mail-daemon/state")
        Path stateDir();

        /** What happens to a message on the server once it is safely in the Maildir. */
        @WithDefault("mark-read")
        AfterDelivery afterDelivery();

        /**
         * Target folder for {@code after-delivery: move}, a path as {@code folder} ({@code Processed/2026}); each
         * missing folder on it is created.
         */
        @WithDefault("Processed")
        String moveToFolder();

        /** How many mailboxes are polled at the same time at most. */
        @WithDefault("4")
        int parallelPolls();

        /**
         * Where messages are delivered, for every mailbox that does not set its own {@code target}: the Maildir
         * under {@link #maildir()} unless {@code type} says otherwise.
         */
        Target target();

        /** How many {@code command} targets may run at the same time, across all mailboxes (one per mailbox). */
        @WithDefault("2")
        int maxCommands();

        /** The mailboxes to poll. */
        List<MailboxConfig> mailboxes();
    }

    enum AfterDelivery {
        MARK_READ, MOVE, DELETE, KEEP
    }

    enum TargetType {
        MAILDIR, COMMAND, LMTP
    }

    /**
     * A delivery target. Set at {@code mail.incoming.target} for all mailboxes, and at a mailbox's {@code target}
     * for that one: a key the mailbox leaves out is taken from {@code mail.incoming.target}.
     */
    interface Target {
        /** {@code maildir} (the default), {@code command} or {@code lmtp}. */
        Optional<TargetType> type();

        /** maildir, per mailbox only: this mailbox's Maildir; default {@code {mail.incoming.maildir}/{address}}. */
        Optional<Path> path();

        /** command: the program and its arguments, run once per message with the MIME on its standard input. */
        Optional<List<String>> command();

        /** command and lmtp: how long one message's hand-over may take (default 5 minutes). */
        Optional<Duration> timeout();

        /** lmtp: the server, a Unix socket's path ({@code /run/dovecot/lmtp}) or {@code host:port}. */
        Optional<String> lmtp();

        /** lmtp: the recipient given in RCPT TO (default the mailbox's address). */
        Optional<String> recipient();
    }

    interface MailboxConfig {
        /** Primary SMTP address of the mailbox. */
        String address();

        /** User name for the username-password flow; defaults to the address. */
        Optional<String> username();

        /** Password for the username-password flow. */
        Optional<String> password();

        /** Free labels, shown in health and delivery metadata. */
        Optional<List<String>> types();

        /** A disabled mailbox is neither polled nor checked. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Folder to poll: a well-known name ({@code inbox}), or a path of display names separated by {@code /}
         * ({@code Invoices/Incoming}) whose first may be a well-known name ({@code Inbox/Orders}) and otherwise is
         * directly under the mailbox root. A {@code /} inside a display name is written {@code \/}
         * ({@code Inbox/A\/P Invoices}); an empty one ({@code a//b}) is refused.
         */
        @WithDefault("inbox")
        String folder();

        /** Where this mailbox's messages are delivered, if not as {@code mail.incoming.target} says. */
        Optional<Target> target();

        /**
         * Several folders to poll instead of {@code folder}, each delivered to its own target. A folder's
         * {@code target} takes the keys it leaves out from the mailbox's {@code target}, then from
         * {@code mail.incoming.target}; into a Maildir, a folder other than the inbox goes to a Maildir++ subfolder
         * ({@code .Invoices} beside {@code new/}) unless its target has its own {@code path}.
         */
        Optional<List<FolderConfig>> folders();

        default String effectiveUsername() {
            return username().orElse(address());
        }
    }

    interface FolderConfig {
        /** A well-known folder ({@code inbox}) or a path of display names ({@code Invoices/Incoming}), as {@code folder}. */
        String name();

        /** Where this folder's messages are delivered, if not as the mailbox's target says. */
        Optional<Target> target();
    }

    interface Check {
        /**
         * How long the check keeps retrying an HTTP 403 from Exchange, which right after setup means the
         * permissions are still propagating.
         */
        @WithDefault("PT2M")
        Duration retryFor();
    }

    interface Outgoing {
        /**
         * The mailboxes local software may send as: a message whose envelope sender (SMTP {@code MAIL FROM}, or a
         * pickup file's From header) is not one of them is refused. Sending needs the Mail.Send (Graph) or
         * full_access_as_app (EWS) permission for each.
         */
        Optional<List<String>> senders();

        /** The SMTP submission port. */
        Smtp smtp();

        /**
         * The pickup directory: complete .eml files written to {@code {pickup}/tmp/} and renamed into
         * {@code {pickup}/new/} are sent, then moved to {@code sent/}, or to {@code failed/} with a {@code .reason}
         * file. Off unless set.
         */
        Optional<Path> pickup();

        /** How often the pickup directory is looked at. */
        @WithDefault("PT10S")
        Duration pickupInterval();

        /**
         * How long a file in the pickup directory must have stayed unchanged before it is sent, so that a file that
         * software writes straight into {@code new/} (instead of renaming it in from {@code tmp/}) is not sent
         * half written. Zero takes every file at once.
         */
        @WithDefault("PT2S")
        Duration pickupSettle();

        /**
         * The largest message accepted, in bytes (default 150 MB, Exchange Online's limit). Microsoft Graph's
         * sendMail takes at most 3,096,576 bytes of MIME (its 4 MB request, headers included); a larger message is
         * refused there whatever this says.
         */
        @WithDefault("157286400")
        long maxMessageSize();
    }

    interface Smtp {
        /** Whether the port is open; off by default. */
        @WithDefault("false")
        boolean enabled();

        /** The address the port listens on. Keep it on the loopback interface unless AUTH and STARTTLS are set. */
        @WithDefault("127.0.0.1")
        String host();

        /** The port number; 2525, as 25 and 587 need root and may be taken by a local MTA. */
        @WithDefault("2525")
        int port();

        /**
         * A local user name that SMTP clients must log in with (AUTH PLAIN or LOGIN) when set with
         * {@code password}; not an Entra ID account.
         */
        Optional<String> username();

        /** The local password for {@code username}; never the Entra ID client secret. */
        Optional<String> password();

        /**
         * A PKCS#12 file with the port's certificate and private key: STARTTLS is then offered and required before
         * anything is sent. From PEM: {@code openssl pkcs12 -export -in cert.pem -inkey key.pem -out smtp.p12}.
         */
        Optional<Path> keyStore();

        /** The password of {@code key-store}. */
        Optional<String> keyStorePassword();
    }

    interface Proxy {
        /** The proxy, {@code http://host:port}; token, EWS and Graph requests all go through it. */
        Optional<URI> url();

        /** The proxy user, for proxies that ask for Basic authentication. */
        Optional<String> user();

        /** The proxy user's password; a secret. */
        Optional<String> password();

        /**
         * Hosts reached directly: a name matches itself and the hosts below it ({@code contoso.com},
         * {@code .contoso.com}), {@code *} matches all.
         */
        Optional<List<String>> noProxy();
    }

    interface Api {
        /** Bearer token for /api/*; without it the API answers 403. */
        @WithName("token")
        Optional<String> token();
    }
}
