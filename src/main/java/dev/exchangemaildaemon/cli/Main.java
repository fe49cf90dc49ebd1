package dev.exchangemaildaemon.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.exchangemaildaemon.check.TestSend;
import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reads the command line before anything starts, then starts the daemon or runs one admin command ({@code check},
 * {@code test-send}) and exits.
 * <p>
 * Quarkus runs its startup (configuration rules, the scheduler's first poll, the ports) before picocli sees the
 * arguments, so a mistyped command would poll Exchange and {@code --help} would need a valid configuration. Here,
 * plain picocli parses them on the same command classes first: a usage error prints the usage to stderr and exits
 * 2, and {@code --help}, {@code help} and {@code --version} are answered, all without starting Quarkus.
 * <p>
 * A command must work beside a running daemon and must not poll, so for commands the scheduler and the SMTP port
 * are off, the HTTP and management servers take free ports, and the log stays quiet below warnings (but for the
 * audit line of a test send), on stderr.
 */
@QuarkusMain
public final class Main {

    /** Picocli's and the commands' exit code for a usage error. */
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String... args) {
        CommandLine cli = new CommandLine(DaemonCommand.class);
        // "@file" would read arguments from a file: not a feature an admin expects of a daemon.
        cli.setExpandAtFiles(false);
        PrintWriter err = cli.getErr();
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (ParameterException e) {
            err.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            e.getCommandLine().usage(err);
            err.flush();
            System.exit(USAGE);
            return;
        }
        Integer helpAnswered = CommandLine.executeHelpRequest(parsed);
        if (helpAnswered != null) {
            System.exit(helpAnswered);
            return;
        }
        if (parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof StatusCommand status) {
            System.exit(status.call()); // asks the running daemon: no Quarkus, configuration or secrets here
            return;
        }
        Path config = cli.<DaemonCommand> getCommand().config;
        if (config != null) {
            if (!Files.isRegularFile(config) || !Files.isReadable(config)) {
                err.println("--config: " + config.toAbsolutePath()
                        + (Files.exists(config) ? " is not a readable file" : " does not exist"));
                err.flush();
                System.exit(USAGE);
                return;
            }
            // A system property outranks QUARKUS_CONFIG_LOCATIONS, so the option wins over the environment.
            System.setProperty("quarkus.config.locations", config.toAbsolutePath().toString());
        }
        if (parsed.hasSubcommand()) {
            System.setProperty("quarkus.scheduler.enabled", "false");
            System.setProperty("exchange-mail-daemon.admin-command", "true"); // no SMTP port
            System.setProperty("quarkus.http.port", "0");
            System.setProperty("quarkus.http.test-port", "0");
            System.setProperty("quarkus.management.port", "0");
            System.setProperty("quarkus.management.test-port", "0");
            setIfAbsent("quarkus.log.level", "WARN");
            setIfAbsent("quarkus.log.console.stderr", "true");
            // The test send's audit line is logged whoever sends, the command line included.
            setIfAbsent("quarkus.log.category.\"" + TestSend.AUDIT + "\".level", "INFO");
        }
        Quarkus.run(PicocliRunner.class, args);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
