package dev.exchangemaildaemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the embedded Exchange simulator for a test class and points the daemon at it: authority host,
 * EWS URL, its CA as trust store, a fresh Maildir and state directory. Arguments: {@code auth-flow}
 * ({@code client-secret} or {@code username-password}), {@code after-delivery}, {@code poll-interval},
 * {@code api} ({@code ews} or {@code graph}), {@code api-token=none} to leave the API closed, {@code mailboxes} (comma-separated; default: invoices, orders and one the server does not have), and
 * {@code seed=true} to fill invoices and orders with sample mail before the daemon starts.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "66666666-7777-8888-9999-000000000000";
    /** Distinctive, so that a test can prove it never leaks. */
    public static final String CLIENT_SECRET = "cs-Zq8~secret-value-4711";
    public static final String INVOICES = "invoices@contoso.com";
    public static final String ORDERS = "orders@contoso.com";
    /** Configured, but no such mailbox exists on the server. */
    public static final String MISSING = "nobody@contoso.com";
    public static final String SENDER = "erp@contoso.com";
    public static final List<String> MAILBOXES = List.of(INVOICES, ORDERS, MISSING);
    public static final String API_TOKEN = "api-token-Hh71-test";

    public static String passwordOf(String address) {
        return "pw-" + address.substring(0, address.indexOf('@')) + "-Kx93!";
    }

    /** The management port of the daemon under test (a free one per test class); injected into fields of this type. */
    public record ManagementPort(int value) {
    }

    /** Where the daemon under test delivers and keeps its state; injected into test fields of this type. */
    public record DaemonDirs(Path maildir, Path stateDir) {
    }

    private ExchangeSimulator simulator;
    private DaemonDirs dirs;
    private ManagementPort managementPort;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        simulator = ExchangeSimulator.start(0);
        simulator.registerApp(CLIENT_ID, CLIENT_SECRET);
        for (String address : List.of(INVOICES, ORDERS, SENDER)) {
            simulator.addMailbox(address);
            simulator.registerUser(address, passwordOf(address));
        }
        if (Boolean.parseBoolean(args.getOrDefault("seed", "false"))) {
            simulator.seedSampleMessages(INVOICES);
            simulator.seedSampleMessages(ORDERS);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("exchange-mail-daemon-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dirs = new DaemonDirs(dir.resolve("maildir"), dir.resolve("state"));
        String flow = args.getOrDefault("auth-flow", "client-secret");
        List<String> mailboxes = args.containsKey("mailboxes") ? List.of(args.get("mailboxes").split(",")) : MAILBOXES;
        Map<String, String> config = new HashMap<>();
        // Free ports, so that two builds can run on one machine: @QuarkusTest listens on the test ports, the
        // packaged app (@QuarkusIntegrationTest) on the plain ones.
        managementPort = new ManagementPort(FreePorts.next());
        config.put("quarkus.management.test-port", String.valueOf(managementPort.value()));
        config.put("quarkus.management.port", String.valueOf(managementPort.value()));
        config.put("mail.entra.tenant-id", simulator.tenantId());
        config.put("mail.entra.client-id", CLIENT_ID);
        config.put("mail.entra.auth-flow", flow);
        config.put("mail.entra.authority-host", simulator.baseUri().toString());
        config.put("mail.exchange.ews-url", simulator.baseUri().resolve("/EWS/Exchange.asmx").toString());
        config.put("mail.exchange.trust-store", simulator.caCertificatePem().toString());
        config.put("mail.exchange.api", args.getOrDefault("api", "ews"));
        config.put("mail.exchange.graph-url", simulator.graphUri().toString());
        config.put("mail.send.sender", SENDER);
        // Allowed, but Exchange has no such mailbox: how a test reaches Exchange's refusal of a sender.
        config.put("mail.send.allowed-senders", MISSING);
        config.put("mail.incoming.poll-interval", args.getOrDefault("poll-interval", "60m"));
        config.put("mail.incoming.maildir", dirs.maildir().toString());
        config.put("mail.incoming.state-dir", dirs.stateDir().toString());
        config.put("mail.incoming.after-delivery", args.getOrDefault("after-delivery", "mark-read"));
        for (int i = 0; i < mailboxes.size(); i++) {
            config.put("mail.incoming.mailboxes[" + i + "].address", mailboxes.get(i));
            config.put("mail.incoming.mailboxes[" + i + "].types", "type-" + i);
            if (flow.equals("username-password")) {
                config.put("mail.incoming.mailboxes[" + i + "].password", passwordOf(mailboxes.get(i)));
            }
        }
        if (!args.getOrDefault("api-token", "on").equals("none")) {
            config.put("mail.api.token", API_TOKEN);
        }
        if (flow.equals("client-secret")) {
            config.put("mail.entra.client-secret", CLIENT_SECRET);
            if (args.containsKey("client-secret-expires")) {
                config.put("mail.entra.client-secret-expires", args.get("client-secret-expires"));
            }
        } else {
            config.put("mail.send.password", passwordOf(SENDER));
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator, new TestInjector.MatchesType(ExchangeSimulator.class));
        injector.injectIntoFields(dirs, new TestInjector.MatchesType(DaemonDirs.class));
        injector.injectIntoFields(managementPort, new TestInjector.MatchesType(ManagementPort.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.stop();
        }
    }
}
