package dev.exchangemaildaemon.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.check.TestSend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "test-send", description = "Sends a short test message through Exchange. Exit code 0 when sent.")
public class TestSendCommand implements Callable<Integer> {

    @Option(names = "--to", required = true, description = "Recipient address")
    String to;

    @Option(names = "--from", description = "Sender address (default: mail.send.sender)")
    String from;

    @Option(names = "--subject", description = "Subject line")
    String subject;

    @Option(names = "--json", description = "Print the result as JSON, as POST /api/test-send answers")
    boolean json;

    private final TestSend testSend;
    private final ObjectMapper mapper;

    TestSendCommand(TestSend testSend, ObjectMapper mapper) {
        this.testSend = testSend;
        this.mapper = mapper;
    }

    @Override
    public Integer call() throws Exception {
        TestSend.Result result;
        try {
            result = testSend.send(to, Optional.ofNullable(from), Optional.ofNullable(subject));
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
