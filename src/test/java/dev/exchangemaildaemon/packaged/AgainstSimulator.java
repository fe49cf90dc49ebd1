package dev.exchangemaildaemon.packaged;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * A packaged daemon's test against a simulator of its own, started afresh for each test: Entra ID knows the test
 * app, Exchange has these mailboxes; {@link #dir} holds the daemon's files.
 */
abstract class AgainstSimulator {

    private final String[] mailboxes;

    @TempDir
    Path dir;

    ExchangeSimulator simulator;

    AgainstSimulator(String... mailboxes) {
        this.mailboxes = mailboxes;
    }

    @BeforeEach
    void startSimulator() {
        simulator = ExchangeSimulator.start(0);
        simulator.registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
        for (String mailbox : mailboxes) {
            simulator.addMailbox(mailbox);
        }
    }

    @AfterEach
    void stopSimulator() {
        simulator.stop();
    }
}
