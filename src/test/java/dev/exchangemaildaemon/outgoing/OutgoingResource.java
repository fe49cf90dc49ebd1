package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.exchangemaildaemon.testing.FreePorts;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * The simulator as {@link SimulatorResource} starts it, and the daemon's outgoing side on: the SMTP port on a free
 * loopback port, a pickup directory, {@link SimulatorResource#SENDER}, {@link SimulatorResource#ORDERS} and
 * {@link SimulatorResource#MISSING} (no such mailbox) as the allowed senders, and
 * {@code max-message-size} from the init argument of that name (default 150 MB).
 */
public class OutgoingResource extends SimulatorResource {

    /** Where the daemon under test listens for SMTP and picks up files; injected into test fields of this type. */
    public record Outgoing(int smtpPort, Path pickup) {
    }

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
        try {
            outgoing = new Outgoing(FreePorts.next(), Files.createTempDirectory("exchange-mail-daemon-pickup"));
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

    @Override
    public void inject(TestInjector injector) {
        super.inject(injector);
        injector.injectIntoFields(outgoing, new TestInjector.MatchesType(Outgoing.class));
    }
}
