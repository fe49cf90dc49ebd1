package dev.exchangemaildaemon.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;

/** Starts the packaged daemon or the peer as a child process and measures one first sync. */
final class Runners {

    static final String CLIENT_ID = "0b5e1d0c-5a7f-4c55-9d1e-3b6e0c0ffee1";
    static final String CLIENT_SECRET = "bench-secret-Vx3~not-a-real-one";
    static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    private Runners() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon's transport: {@code ews} unless the environment variable BENCH_API says {@code graph}. */
    static final String API = System.getenv().getOrDefault("BENCH_API", "ews");

    /** The daemon's YAML configuration for these mailboxes against this simulator. */
    static String config(ExchangeSimulator sim, Path dir, List<String> addresses, String interval, int parallel) {
        StringBuilder yaml = new StringBuilder("""
                mail:
                  entra:
                    tenant-id: %s
                    client-id: %s
                    client-secret: ${MAIL_CLIENT_SECRET}
                    authority-host: %s
                  exchange:
                    api: %s
                    graph-url: %s
                    ews-url: %s
                    trust-store: %s
                  incoming:
                    poll-interval: %s
                    parallel-polls: %d
                    maildir: %s
                    state-dir: %s
                    mailboxes:
                """.formatted(sim.tenantId(), CLIENT_ID, sim.baseUri(), API, sim.graphUri(),
                sim.baseUri().resolve("/EWS/Exchange.asmx"),
                sim.caCertificatePem(), interval, parallel, dir.resolve("maildir"), dir.resolve("state")));
        for (String address : addresses) {
            yaml.append("      - address: ").append(address).append('\n');
        }
        return yaml.toString();
    }

    /** A started daemon: its process, management port, and every line it printed, as it prints them. */
    static final class Daemon implements AutoCloseable {
        final Process process;
        final long startNanos;
        final int managementPort;
        final Path dir;
        volatile double readySeconds = -1;
        volatile double startedInSeconds = -1;
        private final PrintWriter log;

        Daemon(ExchangeSimulator sim, Path dir, List<String> addresses, String interval, int parallel, String xmx,
               Consumer<String> onLine) throws IOException {
            this(sim, dir, addresses, interval, parallel, xmx, Bench.APPCDS, onLine);
        }

        /** Starts the daemon as the README says: from its directory, with its class-data archive if appCds. */
        Daemon(ExchangeSimulator sim, Path dir, List<String> addresses, String interval, int parallel, String xmx,
               boolean appCds, Consumer<String> onLine) throws IOException {
            this.dir = Files.createDirectories(dir.toAbsolutePath());
            Path config = this.dir.resolve("config.yaml");
            Files.writeString(config, config(sim, this.dir, addresses, interval, parallel));
            managementPort = freePort();
            List<String> command = new ArrayList<>();
            Path workingDir;
            if (Bench.DAEMON_NATIVE != null) {
                // a native executable takes -Xmx and -D at run time; it has no JIT, class data archive or -Xlog
                command.addAll(List.of(Bench.DAEMON_NATIVE.toString(), "-Xmx" + xmx));
                workingDir = Bench.DAEMON_NATIVE.getParent();
            } else {
                command.addAll(List.of(java(), "-Xmx" + xmx, "-Xlog:gc:file=" + this.dir.resolve("gc.log")));
                if (!Bench.DAEMON_JVM_ARGS.isBlank()) {
                    command.addAll(List.of(Bench.DAEMON_JVM_ARGS.trim().split("\\s+")));
                }
                if (appCds) {
                    command.add("-XX:SharedArchiveFile=" + Bench.DAEMON_CDS.getFileName());
                }
                workingDir = Bench.DAEMON_JAR.getParent();
            }
            command.addAll(List.of("-Dquarkus.http.port=0", "-Dquarkus.management.port=" + managementPort));
            if (Bench.DAEMON_NATIVE == null) {
                command.addAll(List.of("-jar", Bench.DAEMON_JAR.getFileName().toString()));
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .directory(workingDir.toFile());
            builder.environment().put("QUARKUS_CONFIG_LOCATIONS", config.toString());
            builder.environment().put("MAIL_CLIENT_SECRET", CLIENT_SECRET);
            log = new PrintWriter(Files.newBufferedWriter(this.dir.resolve("daemon.log")), true);
            startNanos = System.nanoTime();
            process = builder.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        log.println(line);
                        Matcher started = STARTED_IN.matcher(line);
                        if (startedInSeconds < 0 && started.find()) {
                            startedInSeconds = Double.parseDouble(started.group(1));
                        }
                        onLine.accept(line);
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            }, "daemon-output");
            reader.setDaemon(true);
            reader.start();
            Thread live = new Thread(() -> {
                while (process.isAlive() && readySeconds < 0) {
                    if (status("/q/health/live") == 200) {
                        readySeconds = (System.nanoTime() - startNanos) / 1e9;
                        return;
                    }
                    sleep(10);
                }
            }, "daemon-live");
            live.setDaemon(true);
            live.start();
        }

        int status(String path) {
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL(
                        "http://localhost:" + managementPort + path).openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                int code = connection.getResponseCode();
                connection.disconnect();
                return code;
            } catch (IOException notYet) {
                return -1;
            }
        }

        /** Sum of jvm_memory_used_bytes over the heap pools, in MiB; -1 if the metrics don't say. */
        long heapUsedMb() {
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL(
                        "http://localhost:" + managementPort + "/q/metrics").openConnection();
                connection.setReadTimeout(5000);
                long sum = 0;
                boolean found = false;
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                            sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                            found = true;
                        }
                    }
                }
                return found ? sum / (1024 * 1024) : -1;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            log.close();
        }
    }

    /** The daemon's first sync of one mailbox holding {@code expected} unread messages. */
    static RunResult daemon(ExchangeSimulator sim, Path dir, String address, int expected, String xmx,
                            double timeoutSeconds) throws Exception {
        RunResult result = new RunResult();
        result.who = "daemon";
        result.xmx = xmx;
        Pattern summary = Pattern.compile(Pattern.quote(address)
                + ": (\\d+) unread, (\\d+) delivered, (\\d+) marked read, (\\d+) skipped, in (\\d+) ms");
        CompletableFuture<double[]> done = new CompletableFuture<>();
        AtomicReference<String> warning = new AtomicReference<>();
        int tokensBefore = sim.tokenRequests("client_credentials");
        sim.resetCounters();
        try (Daemon daemon = new Daemon(sim, dir, List.of(address), "60m", 4, xmx, line -> {
            Matcher m = summary.matcher(line);
            if (m.find()) {
                done.complete(new double[] { System.nanoTime(), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), Long.parseLong(m.group(5)) });
            } else if ((line.contains(" WARN ") || line.contains(" ERROR ")
                    // the JVM's own, such as a class-data archive it cannot use (a copied build: cp -a keeps it)
                    || line.contains("[warning]")) && warning.get() == null) {
                warning.set(line);
            }
        })) {
            long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
            while (!done.isDone()) {
                if (!daemon.process.isAlive()) {
                    result.note = "daemon exited with " + daemon.process.exitValue() + "; " + warning.get();
                    break;
                }
                if (System.nanoTime() > deadline) {
                    result.note = "timed out; " + warning.get();
                    break;
                }
                sleep(10);
            }
            long pid = daemon.process.pid();
            result.peakRssKb = Proc.peakRssKb(pid);
            result.cpuSeconds = Proc.cpuSeconds(pid);
            // thread names as Linux keeps them (15 characters): "poll-1", "HttpClient-1-Wo", "HttpClient-1-Se"
            result.syncCpuSeconds = Proc.threadCpuSeconds(pid, "poll-", "HttpClient-");
            result.cpuByThreadGroup = Proc.cpuByThreadGroup(pid);
            result.readySeconds = daemon.readySeconds;
            result.startedInSeconds = daemon.startedInSeconds;
            if (done.isDone()) {
                double[] figures = done.get();
                result.wallSeconds = (figures[0] - daemon.startNanos) / 1e9;
                result.pollMillis = (long) figures[3];
                result.heapUsedMb = daemon.heapUsedMb();
            }
        }
        long[] gc = Proc.gcPeaks(dir.resolve("gc.log"));
        result.gcPeakBeforeMb = gc[0];
        result.gcPeakAfterMb = gc[1];
        result.ews = API.equals("graph") ? sim.graphRequestCounts() : sim.ewsRequestCounts();
        result.tokenRequests = sim.tokenRequests("client_credentials");
        Path maildir = dir.resolve("maildir").resolve(address);
        countDelivered(result, maildir.resolve("new"), maildir.resolve("cur"));
        verify(sim, address, expected, result);
        if (warning.get() != null && result.ok) {
            result.note = "warning in log: " + warning.get();
        }
        return result;
    }

    /** The peer's run over one mailbox holding {@code expected} unread messages. */
    static RunResult peer(ExchangeSimulator sim, Path dir, Path trustStore, String address, int expected, String xmx,
                          int pageSize, int mimeBatch, int updateBatch, boolean trace, double timeoutSeconds)
            throws Exception {
        RunResult result = new RunResult();
        result.who = "peer";
        result.xmx = xmx;
        Files.createDirectories(dir);
        sim.resetCounters();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + dir.resolve("gc.log"),
                "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", absoluteClassPath(), Peer.class.getName(),
                sim.baseUri() + "/" + sim.tenantId() + "/", sim.baseUri().resolve("/EWS/Exchange.asmx").toString(),
                CLIENT_ID, address, dir.resolve("eml").toString(), Integer.toString(pageSize),
                Integer.toString(mimeBatch), Integer.toString(updateBatch)));
        if (trace) {
            command.add(dir.resolve("ews-trace.txt").toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(dir.toFile());
        builder.environment().put("MAIL_CLIENT_SECRET", CLIENT_SECRET);
        long start = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<String> doneLine = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve("peer.log")), true)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.println(line);
                    if (line.startsWith("DONE ")) {
                        doneLine.complete(line);
                    }
                }
            } catch (IOException ended) {
                // gone
            }
            doneLine.complete(null);
        }, "peer-output");
        reader.setDaemon(true);
        reader.start();
        String line;
        try {
            line = doneLine.get((long) timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            line = null;
            result.note = "timed out";
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long pid = process.pid();
        result.peakRssKb = Proc.peakRssKb(pid);
        result.cpuSeconds = Proc.cpuSeconds(pid);
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        process.waitFor();
        if (line != null) {
            result.wallSeconds = wall;
        } else if (result.note.isEmpty()) {
            reader.join(5000);
            List<String> err = Files.readAllLines(dir.resolve("peer.log"));
            String reason = err.stream().filter(l -> l.contains("OutOfMemoryError"))
                    .findFirst().orElse(err.stream().filter(l -> l.contains("Exception") || l.contains("Error:"))
                            .findFirst().orElse(err.isEmpty() ? "" : err.get(err.size() - 1)));
            if (process.exitValue() == 3 && !reason.contains("OutOfMemoryError")) {
                reason = "OutOfMemoryError (exit code 3 of -XX:+ExitOnOutOfMemoryError) " + reason;
            }
            result.note = "peer exited with " + process.exitValue() + " after " + RunResult.fmt(wall) + " s: "
                    + reason.trim();
        }
        long[] gc = Proc.gcPeaks(dir.resolve("gc.log"));
        result.gcPeakBeforeMb = gc[0];
        result.gcPeakAfterMb = gc[1];
        result.ews = sim.ewsRequestCounts();
        result.tokenRequests = sim.tokenRequests("client_credentials");
        countDelivered(result, dir.resolve("eml"));
        verify(sim, address, expected, result);
        return result;
    }

    /** This JVM's class path with absolute entries, for a child started in another directory. */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static void countDelivered(RunResult result, Path... dirs) throws IOException {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    result.delivered++;
                    result.bytes += Files.size(file);
                }
            }
        }
    }

    /** All delivered (files on disk) and all read on the server. */
    private static void verify(ExchangeSimulator sim, String address, int expected, RunResult result) {
        long unread = sim.messages(address, "inbox").stream().filter(m -> !m.read()).count();
        result.ok = result.wallSeconds > 0 && result.delivered == expected && unread == 0;
        if (!result.ok) {
            result.note = (result.note.isEmpty() ? "" : result.note + "; ") + result.delivered + " of " + expected
                    + " files, " + unread + " still unread on the server";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
