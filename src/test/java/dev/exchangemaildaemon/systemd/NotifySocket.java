package dev.exchangemaildaemon.systemd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real receiving end of sd_notify messages, as systemd has: a Unix datagram socket (bound by python3, as Java 17
 * cannot), each message printed as one JSON string. The file descriptor of systemd-notify's barrier message is dropped
 * on receipt, which is what releases the barrier.
 */
public final class NotifySocket implements AutoCloseable {

    private static final String RECEIVER = """
            import json, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print(json.dumps("listening"), flush=True)
            while True:
                print(json.dumps(s.recv(65536).decode()), flush=True)
            """;

    private final Path path;
    private final Process python;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

    public NotifySocket(Path dir) throws IOException, InterruptedException {
        this.path = dir.resolve("notify.sock");
        Path script = Files.writeString(dir.resolve("receiver.py"), RECEIVER);
        python = new ProcessBuilder("python3", script.toString(), path.toString()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    messages.add(line);
                }
            } catch (IOException ended) {
                // the receiver was stopped
            }
        }, "notify-socket");
        reader.setDaemon(true);
        reader.start();
        assertTrue("\"listening\"".equals(messages.poll(30, TimeUnit.SECONDS)), "the receiver is listening");
    }

    public String path() {
        return path.toString();
    }

    /** The next message but systemd-notify's barriers, as its lines; fails after the deadline. */
    public List<String> next(Duration deadline) throws IOException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            String line = messages.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertTrue(line != null, "no message within " + deadline);
            String text = new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, String.class);
            if (!text.equals("BARRIER=1")) {
                return List.of(text.split("\n"));
            }
        }
    }

    /** Everything received so far, barriers left out. */
    public List<String> received() {
        List<String> all = new java.util.ArrayList<>();
        for (String line; (line = messages.poll()) != null;) {
            all.add(line);
        }
        return all.stream().filter(line -> !line.equals("\"BARRIER=1\"")).toList();
    }

    @Override
    public void close() {
        python.destroy();
    }
}
