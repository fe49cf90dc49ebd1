package dev.exchangemaildaemon.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.check.TestSend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "test-send", description = "Sends a short test message through Exchange, from mail.send.sender.")
public class TestSendCommand implements Callable<Integer> {

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "Recipient address")
    String to;

    @Option(names = "--from", paramLabel = "ADDRESS", description = "Sender address (default: mail.send.sender)")
    String from;

    @Option(names = "--subject", paramLabel = "TEXT", description = "Subject line")
    String subject;

    @Option(names = "--json", description = "Print the result as JSON, as POST /api/test-send answers")
    boolean json;

    // Injected into fields: Main parses the arguments with plain picocli before Quarkus starts, which needs a
    // constructor without arguments.
    @Inject
    TestSend testSend;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws Exception {
        TestSend.Result result;
        try {
            result = testSend.send(to, Optional.ofNullable(from), Optional.ofNullable(subject),
                    "the command line, user " + System.getProperty("user.name"));
        } catch (TestSend.InvalidRequest e) {
            System.err.println("--" + e.field() + ": " + e.getMessage());
            return 2;
        }
        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else if (result.ok()) {
            System.out.println("OK: sent \"" + result.subject() + "\" from " + result.from() + " to " + result.to()
                    + "; a copy is in the sender's Sent Items.");
        } else {
            System.out.println(TextReport.error("test send", result.code(), result.message(), result.step(),
                    result.hint()));
        }
        return result.ok() ? 0 : 1;
    }
}
