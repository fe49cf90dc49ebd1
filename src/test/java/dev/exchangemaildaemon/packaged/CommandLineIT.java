package dev.exchangemaildaemon.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * The command line of the packaged daemon needs no configuration to explain itself: help, the version and usage
 * errors are answered before anything starts. {@code --config FILE} names the configuration.
 */
class CommandLineIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    @TempDir
    Path dir;

    /** One run of the jar: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n---- stdout\n" + out + "\n---- stderr\n" + err;
        }
    }

    /** Runs the jar in an empty directory, with no configuration unless the environment gives one. */
    private Run run(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("QUARKUS_CONFIG_LOCATIONS");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("still running after 60 s: " + String.join(" ", args) + "\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void versionNeedsNoConfiguration() throws IOException {
        Properties built = new Properties();
        try (var in = Files.newInputStream(Path.of("target/maven-archiver/pom.properties"))) {
            built.load(in);
        }
        for (String option : List.of("--version", "-V")) {
            Run run = run(option);
            assertEquals(0, run.exit(), run::toString);
            assertEquals("exchange-mail-daemon " + built.getProperty("version"), run.out().strip(), run::toString);
        }
    }

    @Test
    void helpNeedsNoConfigurationAndNamesEveryCommand() {
        for (String help : List.of("--help", "-h", "help")) {
            Run run = run(help);
            assertEquals(0, run.exit(), run::toString);
            for (String expected : List.of("Usage: exchange-mail-daemon", "check", "test-send", "--config=FILE")) {
                assertTrue(run.out().contains(expected), () -> "'" + expected + "' not in " + run);
            }
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (List<String> args : List.of(List.of("check", "--help"), List.of("help", "check"),
                List.of("test-send", "-h"), List.of("help", "test-send"))) {
            Run run = run(args.toArray(String[]::new));
            assertEquals(0, run.exit(), run::toString);
            String command = args.get(0).equals("help") ? args.get(1) : args.get(0);
            assertTrue(run.out().contains("Usage: exchange-mail-daemon " + command), run::toString);
            assertTrue(run.out().contains(command.equals("check") ? "--mailbox=ADDRESS" : "--to=ADDRESS"),
                    run::toString);
        }
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageErrorOnStderr() {
        for (List<String> args : List.of(List.of("chek"), List.of("--verbose"), List.of("check", "--mailbx", "a@b.c"),
                List.of("test-send"))) {
            Run run = run(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertTrue(run.err().contains("Usage: exchange-mail-daemon"), run::toString);
            assertEquals("", run.out(), run::toString);
            assertFalse(run.err().contains("mail.entra"), "no configuration is read: " + run);
        }
        assertTrue(run("chek").err().contains("Did you mean: exchange-mail-daemon check"));
    }

    @Test
    void aMistypedCommandOrTheVersionStartsNothingEvenWithAValidConfiguration() {
        ExchangeSimulator simulator = ExchangeSimulator.start(0);
        try {
            simulator.registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
            simulator.addMailbox(SimulatorResource.INVOICES);
            simulator.seedSampleMessages(SimulatorResource.INVOICES);
            DaemonSetup setup = DaemonSetup.write(dir, simulator, SimulatorResource.INVOICES);
            Map<String, String> configured = Map.of("QUARKUS_CONFIG_LOCATIONS", setup.config().toString());

            Run run = run(configured, "chek");
            assertEquals(2, run.exit(), run::toString);
            assertTrue(run.err().contains("Unmatched argument at index 0: 'chek'"), run::toString);
            assertEquals(0, run(configured, "--version").exit());
            assertEquals(0, simulator.tokenRequests("client_credentials"), "no token was asked for");
            assertEquals(List.of(), simulator.ewsRequests(), "no poll");
            assertTrue(simulator.messages(SimulatorResource.INVOICES, "inbox").stream().noneMatch(m -> m.read()));
            assertFalse(Files.exists(setup.maildir()), "no Maildir created");
        } finally {
            simulator.stop();
        }
    }

    @Test
    void configOptionNamesTheFileAndWinsOverTheEnvironment() {
        ExchangeSimulator simulator = ExchangeSimulator.start(0);
        try {
            simulator.registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
            simulator.addMailbox(SimulatorResource.INVOICES);
            DaemonSetup setup = DaemonSetup.write(dir, simulator, SimulatorResource.INVOICES);
            Path broken = dir.resolve("broken.yaml");
            Files.writeString(broken, "mail:\n  entra:\n    tenant-id: \"\"\n");

            Run run = run(Map.of("QUARKUS_CONFIG_LOCATIONS", broken.toString()), "--config", setup.config().toString(),
                    "check", "--mailbox", SimulatorResource.INVOICES);
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("All checks passed."), run::toString);
            // The option after the command works as well.
            run = run("check", "--config", setup.config().toString(), "--mailbox", SimulatorResource.INVOICES);
            assertEquals(0, run.exit(), run::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            simulator.stop();
        }
    }

    @Test
    void aMissingConfigFileIsAUsageErrorNamingIt() {
        Run run = run("--config", "no-such.yaml", "check");
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--config: " + dir.resolve("no-such.yaml") + " does not exist"), run::toString);
    }
}
