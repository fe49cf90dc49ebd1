package dev.exchangemaildaemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP proxy for tests: Debian's tinyproxy (installed by .ci/run), started in the foreground on a free
 * port of the loopback interface, with Basic authentication when a user is given. Its log names every CONNECT
 * tunnel it opened, which is how a test proves a request went through it.
 */
public final class Tinyproxy implements AutoCloseable {

    private static final Pattern TUNNEL = Pattern.compile("Request \\(file descriptor \\d+\\): CONNECT (\\S+)");

    private final Process process;
    private final int port;
    private final Path log;

    private Tinyproxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts tinyproxy; with {@code user} and {@code password} non-null it asks for them (Basic). */
    public static Tinyproxy start(Path dir, String user, String password) {
        int port = FreePorts.next();
        Path log = dir.resolve("tinyproxy-" + port + ".log");
        Path config = dir.resolve("tinyproxy-" + port + ".conf");
        StringBuilder lines = new StringBuilder()
                .append("Port ").append(port).append('\n')
                .append("Listen 127.0.0.1\n")
                .append("Timeout 30\n")
                .append("MaxClients 50\n")
                .append("LogFile \"").append(log).append("\"\n")
                .append("LogLevel Connect\n");
        if (user != null) {
            lines.append("BasicAuth ").append(user).append(' ').append(password).append('\n');
        }
        try {
            Files.writeString(config, lines);
            Files.writeString(log, "");
            Process process = new ProcessBuilder("tinyproxy", "-d", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy-" + port + ".out").toFile())
                    .start();
            Tinyproxy proxy = new Tinyproxy(process, port, log);
            proxy.awaitListening(Duration.ofSeconds(10));
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start tinyproxy (apt-get install tinyproxy)", e);
        }
    }

    private void awaitListening(Duration deadline) {
        Instant end = Instant.now().plus(deadline);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tinyproxy exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IllegalStateException("tinyproxy did not listen on port " + port + " within " + deadline);
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50); // polled against the deadline above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The host:port of each CONNECT tunnel opened so far, in order. */
    public List<String> tunnels() {
        try {
            return Files.readAllLines(log).stream().map(TUNNEL::matcher).filter(Matcher::find)
                    .map(match -> match.group(1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
