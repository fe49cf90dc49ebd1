package dev.exchangemaildaemon.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;

/** Start to ready alone: the daemon against one empty mailbox, started several times, nothing else running. */
final class Startup {

    private Startup() {
    }

    static String run(int runs, String xmx, Path dir) throws Exception {
        List<Double> live = new ArrayList<>();
        List<Double> startedIn = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        StringBuilder md = new StringBuilder("## Start to ready (JVM mode, -Xmx" + xmx
                + "), one empty mailbox, nothing else running in the harness\n\n"
                + "| run | process start to /q/health/live 200, s | Quarkus \"started in\", s | to /q/health/ready 200 (first poll done), s | RSS then, MiB |\n|---|---|---|---|---|\n");
        for (int i = 1; i <= runs; i++) {
            ExchangeSimulator sim = ExchangeSimulator.start(0).registerApp(Runners.CLIENT_ID, Runners.CLIENT_SECRET);
            String address = "startup@contoso.com";
            sim.addMailbox(address);
            double readySeconds = -1;
            try (Runners.Daemon daemon = new Runners.Daemon(sim, dir.resolve("run-" + i), List.of(address), "60m", 4,
                    xmx, line -> { })) {
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
                double r = Proc.rssKb(daemon.process.pid()) / 1024.0;
                live.add(daemon.readySeconds);
                startedIn.add(daemon.startedInSeconds);
                ready.add(readySeconds);
                rss.add(r);
                md.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.0f |%n", i, daemon.readySeconds,
                        daemon.startedInSeconds, readySeconds, r));
            }
            sim.stop();
        }
        md.append(String.format(Locale.ROOT, "| median | %.2f | %.2f | %.2f | %.0f |%n%n", Bench.median(live),
                Bench.median(startedIn), Bench.median(ready), Bench.median(rss)));
        System.out.print(md);
        return md.toString();
    }
}
