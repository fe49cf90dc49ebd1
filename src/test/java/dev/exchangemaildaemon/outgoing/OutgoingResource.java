package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.exchangemaildaemon.testing.FreePorts;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * The simulator as {@link SimulatorResource} starts it, and the daemon's outgoing side on: the SMTP port on a free
 * loopback port, a pickup directory, {@link SimulatorResource#SENDER}, {@link SimulatorResource#ORDERS} and
 * {@link SimulatorResource#MISSING} (no such mailbox) as the allowed senders, and
 * {@code max-message-size} from the init argument of that name (default 150 MB). With {@code secure=true} the port
 * requires STARTTLS (a fresh key pair) and AUTH ({@link #SMTP_USER}).
 */
public class OutgoingResource extends SimulatorResource {

    /**
     * Where the daemon under test listens for SMTP and picks up files, and with {@code secure=true} the CA file that
     * trusts its STARTTLS certificate; injected into test fields of this type.
     */
    public record Outgoing(int smtpPort, Path pickup, Path smtpCertificate) {
    }

    /** The SMTP port's local login with {@code secure=true}. */
    public static final String SMTP_USER = "erp-smtp";
    public static final String SMTP_PASSWORD = "smtp-pw-Lq27!";

    private Outgoing outgoing;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(initArgs);
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        Path certificate = null;
        try {
            Path pickup = Files.createTempDirectory("exchange-mail-daemon-pickup");
            if (Boolean.parseBoolean(args.getOrDefault("secure", "false"))) {
                Path keyStore = pickup.resolveSibling(pickup.getFileName() + "-smtp.p12");
                certificate = pickup.resolveSibling(pickup.getFileName() + "-smtp.pem");
                keytool("-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                        "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "store-pw-1",
                        "-keypass", "store-pw-1");
                keytool("-exportcert", "-rfc", "-alias", "smtp", "-keystore", keyStore.toString(),
                        "-storepass", "store-pw-1", "-file", certificate.toString());
                config.put("mail.outgoing.smtp.key-store", keyStore.toString());
                config.put("mail.outgoing.smtp.key-store-password", "store-pw-1");
                config.put("mail.outgoing.smtp.username", SMTP_USER);
                config.put("mail.outgoing.smtp.password", SMTP_PASSWORD);
            }
            outgoing = new Outgoing(FreePorts.next(), pickup, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("mail.outgoing.senders[0]", SENDER);
        config.put("mail.outgoing.senders[1]", ORDERS);
        config.put("mail.outgoing.senders[2]", MISSING);
        config.put("mail.outgoing.smtp.enabled", "true");
        config.put("mail.outgoing.smtp.host", "127.0.0.1");
        config.put("mail.outgoing.smtp.port", String.valueOf(outgoing.smtpPort()));
        config.put("mail.outgoing.pickup", outgoing.pickup().toString());
        config.put("mail.outgoing.max-message-size", args.getOrDefault("max-message-size", "157286400"));
        return config;
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        try {
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        super.inject(injector);
        injector.injectIntoFields(outgoing, new TestInjector.MatchesType(Outgoing.class));
    }
}
