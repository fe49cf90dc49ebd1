package dev.exchangemaildaemon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;

/**
 * Start to ready alone: the daemon against one empty mailbox, started several times, nothing else running. Starts
 * with the build's class-data archive (app-cds.jsa) alternate with plain starts, so both see the same load.
 */
final class Startup {

    private Startup() {
    }

    /** The medians of one kind of start. */
    private static final class Series {
        final List<Double> live = new ArrayList<>();
        final List<Double> startedIn = new ArrayList<>();
        final List<Double> ready = new ArrayList<>();
        final List<Double> rss = new ArrayList<>();

        String medians(String name) {
            return String.format(Locale.ROOT, "| median, %s | %.2f | %.2f | %.2f | %.0f |%n", name,
                    Bench.median(live), Bench.median(startedIn), Bench.median(ready), Bench.median(rss));
        }
    }

    static String run(int runs, String xmx, Path dir) throws Exception {
        boolean withArchive = Files.isRegularFile(Bench.DAEMON_CDS);
        Series plain = new Series();
        Series archived = new Series();
        StringBuilder md = new StringBuilder("## Start to ready (JVM mode, -Xmx" + xmx
                + "), one empty mailbox, nothing else running in the harness\n\n"
                + "| run | process start to /q/health/live 200, s | Quarkus \"started in\", s"
                + " | to /q/health/ready 200 (first poll done), s | RSS then, MiB |\n|---|---|---|---|---|\n");
        for (int i = 1; i <= runs; i++) {
            // alternate which kind goes first, so neither always meets a colder disk cache
            List<Boolean> kinds = !withArchive ? List.of(false) : i % 2 == 1 ? List.of(true, false) : List.of(false, true);
            for (boolean appCds : kinds) {
                String name = i + (appCds ? ", AppCDS" : ", plain");
                md.append(start(name, xmx, dir.resolve("run-" + i + (appCds ? "-cds" : "")), appCds,
                        appCds ? archived : plain));
            }
        }
        md.append(plain.medians("plain"));
        if (withArchive) {
            md.append(archived.medians("AppCDS (-XX:SharedArchiveFile=app-cds.jsa)"));
        }
        md.append('\n');
        System.out.print(md);
        return md.toString();
    }

    private static String start(String name, String xmx, Path dir, boolean appCds, Series into) throws Exception {
        ExchangeSimulator sim = ExchangeSimulator.start(0).registerApp(Runners.CLIENT_ID, Runners.CLIENT_SECRET);
        String address = "startup@contoso.com";
        sim.addMailbox(address);
        double readySeconds = -1;
        try (Runners.Daemon daemon = new Runners.Daemon(sim, dir, List.of(address), "60m", 4, xmx, appCds,
                line -> { })) {
            while (daemon.seconds() < 60 && daemon.process.isAlive()) {
                if (daemon.readySeconds > 0 && daemon.status("/q/health/ready") == 200) {
                    readySeconds = daemon.seconds();
                    break;
                }
                Runners.sleep(10);
            }
            while (daemon.startedInSeconds < 0 && daemon.seconds() < 60) {
                Runners.sleep(10);
            }
            double rss = Proc.rssKb(daemon.process.pid()) / 1024.0;
            into.live.add(daemon.readySeconds);
            into.startedIn.add(daemon.startedInSeconds);
            into.ready.add(readySeconds);
            into.rss.add(rss);
            return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.0f |%n", name, daemon.readySeconds,
                    daemon.startedInSeconds, readySeconds, rss);
        } finally {
            sim.stop();
        }
    }
}
