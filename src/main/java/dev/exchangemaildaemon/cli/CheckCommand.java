package dev.exchangemaildaemon.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.check.CheckOutcome;
import dev.exchangemaildaemon.check.CheckReport;
import dev.exchangemaildaemon.check.SetupCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = "Tests the settings: a token, then the folders of each mailbox and of the"
        + " sender. Reads and changes nothing.")
public class CheckCommand implements Callable<Integer> {

    @Option(names = "--mailbox", paramLabel = "ADDRESS", description = "Check only this mailbox (or the sender)")
    String mailbox;

    @Option(names = "--json", description = "Print the result as JSON, as POST /api/check answers")
    boolean json;

    // Injected into fields: Main parses the arguments with plain picocli before Quarkus starts, which needs a
    // constructor without arguments.
    @Inject
    SetupCheck check;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws Exception {
        CheckReport report;
        try {
            report = check.run(Optional.ofNullable(mailbox));
        } catch (IllegalArgumentException e) {
            System.err.println("--mailbox: " + e.getMessage());
            return 2;
        }
        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            for (CheckOutcome outcome : report.checks()) {
                System.out.println(TextReport.of(outcome));
            }
            System.out.println(report.ok() ? "All checks passed." : "Some checks failed: see the steps above.");
        }
        return report.ok() ? 0 : 1;
    }
}
