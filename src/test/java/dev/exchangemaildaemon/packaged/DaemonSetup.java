package dev.exchangemaildaemon.packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * A daemon's configuration file against the simulator, and the directories it names: client secret, one mailbox,
 * mark-read, polled every 3 s; {@link SimulatorResource#SENDER} sends test messages, and the admin API takes
 * {@link #API_TOKEN}. The same setup started again is the same daemon restarted (same Maildir, same state directory).
 */
record DaemonSetup(Path config, Path maildir, Path stateDir, Path log) {

    static final String API_TOKEN = SimulatorResource.API_TOKEN;

    static DaemonSetup write(Path dir, ExchangeSimulator simulator, String address) {
        return write(dir, simulator, address, "ews");
    }

    /** @param api {@code ews} or {@code graph} */
    static DaemonSetup write(Path dir, ExchangeSimulator simulator, String address, String api) {
        DaemonSetup setup = new DaemonSetup(dir.resolve("config.yaml"), dir.resolve("maildir"), dir.resolve("state"),
                dir.resolve("daemon.log"));
        try {
            Files.writeString(setup.config(), """
                    mail:
                      entra:
                        tenant-id: %s
                        client-id: %s
                        client-secret: %s
                        authority-host: %s
                      exchange:
                        api: %s
                        graph-url: %s
                        ews-url: %s
                        trust-store: %s
                      incoming:
                        poll-interval: "0.05"
                        maildir: %s
                        state-dir: %s
                        after-delivery: mark-read
                        mailboxes:
                          - address: %s
                      send:
                        sender: %s
                      api:
                        token: %s
                    """.formatted(simulator.tenantId(), SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET,
                    simulator.baseUri(), api, simulator.graphUri(), simulator.baseUri().resolve("/EWS/Exchange.asmx"),
                    simulator.caCertificatePem(), setup.maildir(), setup.stateDir(), address, SimulatorResource.SENDER,
                    API_TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return setup;
    }

    /** {@code tmp}, {@code new} or {@code cur} of the mailbox's Maildir. */
    Path maildirFolder(String address, String sub) {
        return maildir.resolve(address.toLowerCase(java.util.Locale.ROOT)).resolve(sub);
    }

    /** The names in {@code tmp}, {@code new} or {@code cur}; none if the folder does not exist yet. */
    List<String> files(String address, String sub) {
        Path folder = maildirFolder(address, sub);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
