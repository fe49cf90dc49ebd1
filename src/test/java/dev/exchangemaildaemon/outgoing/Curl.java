package dev.exchangemaildaemon.outgoing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real SMTP client: curl, submitting a file to the daemon's port and reporting its exit code and words. */
final class Curl {

    /** What curl said: exit code 0 when the server answered the message with 250. */
    record Result(int exitCode, String output) {
        boolean sent() {
            return exitCode == 0;
        }
    }

    private Curl() {
    }

    static Result submit(int port, String from, List<String> to, Path message) throws IOException, InterruptedException {
        return submit(port, from, to, message, 60);
    }

    /**
     * @param maxSeconds how long curl waits for the whole exchange before it gives up
     * @param options    more of curl's options, such as {@code --ssl-reqd} or {@code --user}
     */
    static Result submit(int port, String from, List<String> to, Path message, int maxSeconds, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--verbose",
                "--max-time", String.valueOf(maxSeconds), "--mail-from", from));
        command.addAll(List.of(options));
        for (String recipient : to) {
            command.add("--mail-rcpt");
            command.add(recipient);
        }
        command.addAll(List.of("--upload-file", message.toString(), "smtp://127.0.0.1:" + port));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = curl.getInputStream().readAllBytes();
        assertTrue(curl.waitFor(90, TimeUnit.SECONDS), "curl finished");
        return new Result(curl.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    static Result submit(int port, String from, String to, byte[] message) throws IOException, InterruptedException {
        Path file = Files.createTempFile("outgoing", ".eml");
        try {
            Files.write(file, message);
            return submit(port, from, List.of(to), file);
        } finally {
            Files.delete(file);
        }
    }
}
