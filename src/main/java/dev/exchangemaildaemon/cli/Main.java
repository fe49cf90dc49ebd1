package dev.exchangemaildaemon.cli;

import java.util.Set;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the daemon, or runs one admin command ({@code check}, {@code test-send}) and exits. A command must
 * work beside a running daemon and must not poll, so for commands the scheduler and the SMTP port are off, the HTTP and
 * management servers take free ports, and the log stays quiet below warnings, on stderr.
 */
@QuarkusMain
public final class Main {

    private static final Set<String> COMMANDS = Set.of("check", "test-send", "help", "--help", "-h");

    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            System.setProperty("quarkus.scheduler.enabled", "false");
            System.setProperty("exchange-mail-daemon.admin-command", "true"); // no SMTP port
            System.setProperty("quarkus.http.port", "0");
            System.setProperty("quarkus.http.test-port", "0");
            System.setProperty("quarkus.management.port", "0");
            System.setProperty("quarkus.management.test-port", "0");
            setIfAbsent("quarkus.log.level", "WARN");
            setIfAbsent("quarkus.log.console.level", "WARN");
            setIfAbsent("quarkus.log.console.stderr", "true");
        }
        Quarkus.run(PicocliRunner.class, args);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
