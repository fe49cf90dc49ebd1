package dev.exchangemaildaemon.packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.exchangemaildaemon.testing.FreePorts;

/**
 * The packaged daemon as its own process, started as an administrator starts it: configuration from
 * {@code QUARKUS_CONFIG_LOCATIONS}, output appended to the setup's log. It is what the last build made, as Quarkus
 * recorded it in {@code target/quarkus-artifact.properties}: the native executable after {@code -Dnative}, else
 * {@code target/quarkus-app/quarkus-run.jar}. Its HTTP and management ports are free ones, so the API can be called
 * and readiness polled; it is stopped with SIGTERM or SIGKILL.
 */
final class DaemonProcess implements AutoCloseable {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final Path log;

    private DaemonProcess(Process process, int httpPort, int managementPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts the daemon on the setup's configuration, with extra runtime options such as {@code -Xmx64m} (a native
     * executable takes {@code -Xmx} and {@code -D} options as the JVM does).
     */
    static DaemonProcess start(DaemonSetup setup, String... runtimeOptions) {
        return start(setup, Map.of(), runtimeOptions);
    }

    /** Starts the daemon with more environment variables, such as those systemd sets. */
    static DaemonProcess start(DaemonSetup setup, Map<String, String> environment, String... runtimeOptions) {
        int httpPort = FreePorts.next();
        int managementPort = FreePorts.next();
        List<String> options = new ArrayList<>(List.of(runtimeOptions));
        options.addAll(List.of("-Dquarkus.http.port=" + httpPort, "-Dquarkus.management.port=" + managementPort));
        ProcessBuilder builder = processFor(setup, commandLine(options, List.of()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(setup.log().toFile()));
        builder.environment().putAll(environment);
        try {
            return new DaemonProcess(builder.start(), httpPort, managementPort, setup.log());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the daemon", e);
        }
    }

    /** What an admin command printed, and its exit code. */
    record CommandRun(int exitCode, String out, String err) {
    }

    /**
     * Runs an admin command ({@code check}, {@code test-send}) of the packaged daemon on the setup's configuration
     * to its end; fails if it is still running at the deadline.
     */
    static CommandRun run(DaemonSetup setup, Duration timeout, String... arguments) {
        Path out = setup.log().resolveSibling("command.out");
        Path err = setup.log().resolveSibling("command.err");
        ProcessBuilder builder = processFor(setup, commandLine(List.of(), List.of(arguments)))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", arguments) + " still running after " + timeout.toSeconds()
                        + " s:\n" + Files.readString(out) + Files.readString(err));
            }
            return new CommandRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", arguments), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The command line of the packaged daemon: the executable or java -jar, options, then arguments. */
    private static List<String> commandLine(List<String> options, List<String> arguments) {
        Properties artifact = new Properties();
        Path recorded = TARGET.resolve("quarkus-artifact.properties");
        try (var in = Files.newInputStream(recorded)) {
            artifact.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(recorded + " is unreadable: run ./mvnw package first", e);
        }
        Path artifactPath = TARGET.resolve(artifact.getProperty("path", ""));
        if (!Files.isRegularFile(artifactPath)) {
            throw new IllegalStateException(artifactPath + " is missing: run ./mvnw package first");
        }
        List<String> command = new ArrayList<>();
        if ("native".equals(artifact.getProperty("type"))) {
            command.add(artifactPath.toString());
            command.addAll(options);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options);
            command.addAll(List.of("-jar", artifactPath.toString()));
        }
        command.addAll(arguments);
        return command;
    }

    private static ProcessBuilder processFor(DaemonSetup setup, List<String> command) {
        try {
            Files.writeString(setup.log(), "==== " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(setup.config().getParent().toFile());
        builder.environment().put("QUARKUS_CONFIG_LOCATIONS", setup.config().toString());
        return builder;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the condition holds, checking every few milliseconds; fails at the deadline, or at once if the
     * daemon exits meanwhile, with the daemon's log.
     */
    void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, Duration.ofMillis(2), condition);
    }

    private void await(String what, Duration timeout, Duration every, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the daemon exited (code " + process.exitValue() + ") while waiting until "
                        + what + "\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "\n" + logTail());
            }
            pause(every);
        }
    }

    /** Waits for {@code /q/health/ready} to answer 200: every mailbox has been polled successfully. */
    void awaitReady(Duration timeout) {
        Health[] last = { new Health(0, "") };
        try {
            await("ready (/q/health/ready answers 200)", timeout, Duration.ofMillis(250),
                    () -> (last[0] = health("ready")).status() == 200);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n---- last readiness answer: " + last[0], e);
        }
    }

    /** A health endpoint's answer; status 0 while nothing listens on the management port. */
    record Health(int status, String body) {
    }

    /** POSTs to the admin API on the HTTP port, with the setup's bearer token and a JSON body (or none). */
    HttpResponse<String> post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + DaemonSetup.API_TOKEN)
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + "\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET {@code /q/health/ready} or {@code /q/health/live}. */
    Health health(String which) {
        URI uri = URI.create("http://localhost:" + managementPort + "/q/health/" + which);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Health(response.statusCode(), response.body());
        } catch (IOException notListening) {
            return new Health(0, notListening.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The peak resident set size so far, in KiB ({@code VmHWM} of {@code /proc/PID/status}). */
    long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM in /proc/" + process.pid() + "/status");
    }

    /** SIGKILL (kill -9), and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("still alive 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then waits for the exit up to the grace time; fails with the log if the daemon outlives it. */
    Exit terminate(Duration grace) {
        long started = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running " + grace.toSeconds() + " s after SIGTERM\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Exit(process.exitValue(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Waits for the daemon to exit on its own; fails with the log if it is still running at the deadline. */
    Exit awaitExit(Duration timeout) {
        long started = System.nanoTime();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout.toSeconds() + " s\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Exit(process.exitValue(), Duration.ofNanos(System.nanoTime() - started));
    }

    record Exit(int code, Duration after) {
    }

    /** The last lines of the daemon's log (all runs of this setup), for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- daemon log (last 40 lines of " + log + ")\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no daemon log: " + e + ")";
        }
    }

    /** Kills the daemon if a test left it running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
