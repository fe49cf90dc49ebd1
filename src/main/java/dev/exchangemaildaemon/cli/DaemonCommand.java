package dev.exchangemaildaemon.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** Without a command: run as the daemon until stopped (SIGTERM). */
@TopCommand
@Command(name = "exchange-mail-daemon", mixinStandardHelpOptions = true,
        description = "Delivers Exchange Online mail into local Maildirs. Without a command, runs the daemon.",
        subcommands = { CheckCommand.class, TestSendCommand.class })
public class DaemonCommand implements Runnable {

    @Override
    public void run() {
        Quarkus.waitForExit();
    }
}
