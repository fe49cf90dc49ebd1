package dev.exchangemaildaemon.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;

/**
 * The benchmark of issue 6: the packaged daemon and the peer (Microsoft's EWS Java API) each do a first sync of
 * the same seeded mailbox on the same simulator, in pairs, without and with added latency; then, optionally, the
 * scale profile. Run from bench/ (bench/run does that); writes target/results/{report.md,runs.csv}.
 */
public final class Bench {

    /** Extra JVM options for the daemon, such as -XX:StartFlightRecording=...; none unless --daemon-jvm-args. */
    static String DAEMON_JVM_ARGS = "";
    static Path DAEMON_JAR = Path.of("../target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
    /** The class-data archive the build makes beside the jar (quarkus.package.jar.appcds); used unless --appcds false. */
    static Path DAEMON_CDS = DAEMON_JAR.resolveSibling("app-cds.jsa");
    static boolean APPCDS = true;
    /** The build under test when it is a native executable, run in place of the jar; null for the JVM build. */
    static Path DAEMON_NATIVE = null;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        // the daemons and peers this run started go with it, however it ends
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
                .forEach(ProcessHandle::destroyForcibly)));
        int runs = Integer.parseInt(o.getOrDefault("runs", "3"));
        int smallCount = Integer.parseInt(o.getOrDefault("small", "2000"));
        int bigMb = Integer.parseInt(o.getOrDefault("big-mb", "100"));
        long seed = Long.parseLong(o.getOrDefault("seed", "6"));
        int latencyMs = Integer.parseInt(o.getOrDefault("latency-ms", "125"));
        String xmx = o.getOrDefault("xmx", "64m");
        List<String> peerXmx = new ArrayList<>(List.of(o.getOrDefault("peer-xmx", "64m,256m,512m,1g,2g").split(",")));
        int pageSize = Integer.parseInt(o.getOrDefault("peer-page", "100"));
        int mimeBatch = Integer.parseInt(o.getOrDefault("peer-mime-batch", "10"));
        int updateBatch = Integer.parseInt(o.getOrDefault("peer-update-batch", "10"));
        boolean trace = Boolean.parseBoolean(o.getOrDefault("peer-trace", "false"));
        List<String> profiles = List.of(o.getOrDefault("profiles", "none,latency").split(","));
        boolean skipPeer = Boolean.parseBoolean(o.getOrDefault("skip-peer", "false"));
        double timeout = Double.parseDouble(o.getOrDefault("timeout-s", "900"));
        DAEMON_JVM_ARGS = o.getOrDefault("daemon-jvm-args", "");
        APPCDS = Boolean.parseBoolean(o.getOrDefault("appcds", "true")) && Files.isRegularFile(DAEMON_CDS);
        int startupRuns = Integer.parseInt(o.getOrDefault("startup-runs", "5"));
        int scaleMailboxes = Integer.parseInt(o.getOrDefault("scale-mailboxes", "1000"));
        // several builds of the daemon (quarkus-app directories, or native executables), each run in every pair, in
        // turns: before/after, JVM/native
        List<Path> daemonApps = o.containsKey("daemon-apps")
                ? Stream.of(o.get("daemon-apps").split(",")).map(d -> Path.of(d).toAbsolutePath().normalize()).toList()
                : withNativeBuild(DAEMON_JAR.getParent(), o.getOrDefault("native", "auto"));

        if (!Files.isRegularFile(DAEMON_JAR)) {
            throw new IllegalStateException(DAEMON_JAR + " is missing: run ./mvnw -B package -DskipTests at the root");
        }
        Path results = Files.createDirectories(Path.of("target/results"));
        Path work = Path.of(o.getOrDefault("work", "target/work")).toAbsolutePath();
        deleteTree(work);
        StringBuilder report = new StringBuilder();
        report.append("# Benchmark run ").append(ZonedDateTime.now().withNano(0)).append("\n\n")
                .append(Machine.describe()).append("\n")
                .append("Options: ").append(o).append("\n\n");
        System.out.print(report);

        List<RunResult> all = new ArrayList<>();
        if (runs > 0) {
            List<byte[]> small = MessageGenerator.small(seed, smallCount, "bench@contoso.com");
            byte[] big = bigMb > 0 ? MessageGenerator.big(seed, bigMb * 1024L * 1024L, "bench@contoso.com") : null;
            int expected = smallCount + (big == null ? 0 : 1);
            long seededBytes = small.stream().mapToLong(m -> m.length).sum() + (big == null ? 0 : big.length);
            String seeded = "Mailbox: %d small messages (%d-%d bytes, %d in all, every fifth with an attachment) plus %s; %d messages, %.1f MB in all.%n%n"
                    .formatted(smallCount, small.stream().mapToInt(m -> m.length).min().orElse(0),
                            small.stream().mapToInt(m -> m.length).max().orElse(0),
                            small.stream().mapToLong(m -> m.length).sum(),
                            big == null ? "no big one" : "one of " + big.length + " bytes", expected, seededBytes / 1e6);
            report.append(seeded);
            System.out.print(seeded);
            Files.writeString(results.resolve("runs.csv"), RunResult.csvHeader() + "\n");
            if (Boolean.parseBoolean(o.getOrDefault("floor", "true")) && Runners.API.equals("ews")) {
                ExchangeSimulator sim = ExchangeSimulator.start(0).registerApp(Runners.CLIENT_ID, Runners.CLIENT_SECRET);
                seed(sim, "floor@contoso.com", small, big);
                String floor = Floor.report(sim, "floor@contoso.com", xmx,
                        Integer.parseInt(o.getOrDefault("cold-floor-runs", "3")));
                sim.stop();
                report.append(floor);
                System.out.print(floor);
            }
            int peerHeap = 0;
            for (String profile : profiles) {
                for (int pair = 1; pair <= runs; pair++) {
                    ExchangeSimulator sim = ExchangeSimulator.start(0).registerApp(Runners.CLIENT_ID, Runners.CLIENT_SECRET);
                    if (profile.equals("latency")) {
                        sim.ewsFault(HttpFault.delay(Duration.ofMillis(latencyMs)).times(Integer.MAX_VALUE));
                        sim.graphFault(HttpFault.delay(Duration.ofMillis(latencyMs)).times(Integer.MAX_VALUE));
                    }
                    Path trustStore = trustStore(sim, work.resolve("truststore-" + profile + "-" + pair + ".p12"));
                    List<RunResult> pairResults = new ArrayList<>();
                    boolean daemonFirst = pair % 2 == 1;
                    for (int turn = 0; turn < 2; turn++) {
                        boolean daemonTurn = (turn == 0) == daemonFirst;
                        if (daemonTurn) {
                            for (int a = 0; a < daemonApps.size(); a++) {
                                // the builds take turns going first, as the daemon and the peer do
                                int app = (a + pair - 1) % daemonApps.size();
                                useDaemon(daemonApps.get(app));
                                String label = daemonApps.size() == 1 ? "" : "-" + (app + 1);
                                String address = "daemon" + label + "-" + profile + "-" + pair + "@contoso.com";
                                seed(sim, address, small, big);
                                Path dir = work.resolve(profile + "-" + pair + "-daemon" + label);
                                RunResult r = Runners.daemon(sim, dir, address, expected, xmx, timeout);
                                if (daemonApps.size() > 1) {
                                    r.who = "daemon" + label;
                                }
                                record(r, profile, pair, all, results, pairResults);
                                deleteTree(dir.resolve("maildir"));
                                System.gc();
                            }
                        } else if (!skipPeer) {
                            while (true) {
                                String heap = peerXmx.get(peerHeap);
                                String address = "peer-" + profile + "-" + pair + "-" + heap + "@contoso.com";
                                seed(sim, address, small, big);
                                Path dir = work.resolve(profile + "-" + pair + "-peer-" + heap);
                                RunResult r = Runners.peer(sim, dir, trustStore, address, expected, heap, pageSize,
                                        mimeBatch, updateBatch, trace, timeout);
                                record(r, profile, pair, all, results, pairResults);
                                deleteTree(dir.resolve("eml"));
                                if (!r.ok && r.note.contains("OutOfMemory") && peerHeap + 1 < peerXmx.size()) {
                                    peerHeap++;   // and stays there for the later pairs
                                    continue;
                                }
                                break;
                            }
                        }
                        System.gc();
                    }
                    sim.stop();
                    System.gc();
                }
            }
            report.append(Report.firstSync(all, profiles, latencyMs, pageSize, mimeBatch, updateBatch));
            if (daemonApps.size() > 1) {
                report.append(Report.builds(all, profiles, daemonApps));
            }
            useDaemon(daemonApps.get(0)); // the start and scale profiles run the first build
        }
        if (startupRuns > 0) {
            report.append(Startup.run(startupRuns, xmx, work.resolve("startup")));
        }
        if (scaleMailboxes > 0) {
            report.append(Scale.run(o, work.resolve("scale")));
        }
        report.append("\nEvery run: target/results/runs.csv\n");
        Files.writeString(results.resolve("report.md"), report.toString());
        System.out.println();
        System.out.println(report);
        System.out.println("Written: bench/target/results/report.md and runs.csv");
        System.exit(0);
    }

    /**
     * The JVM build, and beside it the native executable of the same checkout if one was built
     * ({@code ./mvnw package -Dnative} leaves {@code target/*-runner}, which needs GraalVM): {@code --native auto}
     * runs it wherever it exists, {@code --native false} never, {@code --native PATH} that one.
     */
    private static List<Path> withNativeBuild(Path jvmApp, String option) throws IOException {
        if (option.equals("false")) {
            return List.of(jvmApp);
        }
        Optional<Path> executable;
        if (option.equals("auto")) {
            try (Stream<Path> built = Files.list(jvmApp.getParent())) {
                executable = built.filter(file -> file.getFileName().toString().endsWith("-runner")
                        && Files.isRegularFile(file) && Files.isExecutable(file)).findFirst();
            }
        } else {
            executable = Optional.of(Path.of(option).toAbsolutePath().normalize());
        }
        executable.ifPresentOrElse(found -> System.out.println("Native executable beside the JVM build: " + found),
                () -> System.out.println("No native executable in " + jvmApp.getParent() + " (./mvnw package -Dnative"
                        + " needs GraalVM): the JVM build alone"));
        return executable.map(found -> List.of(jvmApp, found)).orElse(List.of(jvmApp));
    }

    private static void useDaemon(Path app) {
        if (Files.isRegularFile(app)) {
            DAEMON_NATIVE = app;
            return;
        }
        DAEMON_NATIVE = null;
        DAEMON_JAR = app.resolve("quarkus-run.jar");
        DAEMON_CDS = app.resolve("app-cds.jsa");
        if (!Files.isRegularFile(DAEMON_JAR)) {
            throw new IllegalStateException(DAEMON_JAR + " is missing");
        }
    }

    private static void record(RunResult r, String profile, int pair, List<RunResult> all, Path results,
                               List<RunResult> pairResults) throws IOException {
        r.profile = profile;
        r.pair = pair;
        all.add(r);
        pairResults.add(r);
        Files.writeString(results.resolve("runs.csv"), r.csv() + "\n", java.nio.file.StandardOpenOption.APPEND);
        System.out.printf(Locale.ROOT, "%-8s pair %d %-6s -Xmx%-4s %s: %d msgs in %.2f s = %.1f msg/s, %.1f MB/s, %d EWS %s (%.3f/msg), %d token, peak RSS %d MiB, CPU %.1f s (poll+HTTP threads %.1f s), ready %.2f s %s%n",
                profile, pair, r.who, r.xmx, r.ok ? "ok" : "FAILED", r.delivered, r.wallSeconds, r.messagesPerSecond(),
                r.megabytesPerSecond(), r.ewsTotal(), r.ews, r.requestsPerMessage(), r.tokenRequests,
                r.peakRssKb / 1024, r.cpuSeconds, r.syncCpuSeconds, r.readySeconds, r.note);
        if (r.cpuByThreadGroup != null) {
            StringBuilder groups = new StringBuilder("         CPU s by thread group:");
            for (int g = 0; g < Proc.GROUPS.length; g++) {
                groups.append(String.format(Locale.ROOT, " %s %.2f;", Proc.GROUPS[g], r.cpuByThreadGroup[g]));
            }
            System.out.println(groups);
        }
    }

    private static void seed(ExchangeSimulator sim, String address, List<byte[]> small, byte[] big) {
        sim.addMailbox(address);
        int half = small.size() / 2;
        for (int i = 0; i < small.size(); i++) {
            if (i == half && big != null) {
                sim.deliver(address, "inbox", big, false);
            }
            sim.deliver(address, "inbox", small.get(i), false);
        }
        if (small.isEmpty() && big != null) {
            sim.deliver(address, "inbox", big, false);
        }
    }

    /** The simulator's CA certificate (PEM) as a PKCS#12 trust store, password "changeit", for the peer's JVM. */
    static Path trustStore(ExchangeSimulator sim, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream pem = Files.newInputStream(sim.caCertificatePem())) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                store.setCertificateEntry("simulator-" + i++, certificate);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return file;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                options.put(key.substring(0, eq), key.substring(eq + 1));
            } else {
                options.put(key, args[++i]);
            }
        }
        return options;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> v >= 0 && !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        return median(runs.stream().map(f::applyAsDouble).toList());
    }
}
