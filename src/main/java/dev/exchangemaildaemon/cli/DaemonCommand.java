package dev.exchangemaildaemon.cli;

import java.nio.file.Path;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Without a command: run as the daemon until stopped (SIGTERM). {@code scope = INHERIT} gives every command
 * {@code --help}, {@code --version} and {@code --config}.
 */
@TopCommand
@Command(name = "exchange-mail-daemon", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        scope = ScopeType.INHERIT, usageHelpAutoWidth = true,
        description = "Delivers Exchange mail into local Maildirs. Without a command, runs the daemon.",
        footer = { "", "Exit codes: 0 all is well, 1 a check, the send or a poll failed (status: a mailbox is down),"
                        + " 2 a usage error.",
                "Configuration: --config FILE, or QUARKUS_CONFIG_LOCATIONS=FILE." },
        subcommands = { CheckCommand.class, TestSendCommand.class, StatusCommand.class, PollCommand.class,
                HelpCommand.class })
public class DaemonCommand implements Runnable {

    /** Read by {@link Main} before Quarkus starts (it sets quarkus.config.locations); unused afterwards. */
    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The configuration file (YAML); instead of QUARKUS_CONFIG_LOCATIONS")
    Path config;

    @Override
    public void run() {
        Quarkus.waitForExit();
    }
}
