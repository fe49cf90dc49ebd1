package dev.exchangemaildaemon.bench;

import static dev.exchangemaildaemon.bench.Bench.median;
import static dev.exchangemaildaemon.bench.RunResult.fmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** Markdown tables of the first-sync runs. */
final class Report {

    private Report() {
    }

    static String firstSync(List<RunResult> all, List<String> profiles, int latencyMs, int page, int mime, int update) {
        StringBuilder md = new StringBuilder();
        md.append("Peer settings: ItemView page ").append(page).append(", MimeContent loaded ").append(mime)
                .append(" items per loadPropertiesForItems, ").append(update).append(" items per updateItems.\n\n");
        for (String profile : profiles) {
            List<RunResult> runs = all.stream().filter(r -> r.profile.equals(profile)).toList();
            md.append("## First sync, ").append(profile.equals("latency")
                    ? "latency on (every EWS request delayed " + latencyMs + " ms)" : "no added latency").append("\n\n");
            md.append("| pair | who | -Xmx | ok | wall s | msg/s | MB/s | EWS requests | req/msg | token req | peak RSS MiB | CPU s | live s | started in s | heap used MiB | GC peak before/after MiB | note |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (RunResult r : runs) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %d %s | %s | %d | %d | %s | %s | %s | %s | %d/%d | %s |%n",
                        r.pair, r.who, r.xmx, r.ok ? "yes" : "**no**", fmt2(r.wallSeconds), fmt1(r.messagesPerSecond()),
                        fmt1(r.megabytesPerSecond()), r.ewsTotal(), r.ews, fmt3(r.requestsPerMessage()), r.tokenRequests,
                        r.peakRssKb / 1024, fmt1(r.cpuSeconds), fmt2(r.readySeconds), fmt2(r.startedInSeconds),
                        r.heapUsedMb < 0 ? "-" : Long.toString(r.heapUsedMb), r.gcPeakBeforeMb, r.gcPeakAfterMb,
                        r.note.replace('|', '/')));
            }
            md.append('\n');
            List<RunResult> daemon = runs.stream().filter(r -> r.who.equals("daemon") && r.ok).toList();
            List<RunResult> peer = runs.stream().filter(r -> r.who.equals("peer") && r.ok).toList();
            // pairs in which both succeeded: the peer's successful run of that pair
            List<RunResult[]> pairs = new ArrayList<>();
            for (RunResult d : daemon) {
                peer.stream().filter(p -> p.pair == d.pair).findFirst().ifPresent(p -> pairs.add(new RunResult[] { d, p }));
            }
            md.append("Medians over ").append(daemon.size()).append(" daemon and ").append(peer.size())
                    .append(" peer runs that delivered everything; ratio = median over the ").append(pairs.size())
                    .append(" pairs of daemon/peer.\n\n");
            md.append("| metric | daemon | peer | daemon/peer |\n|---|---|---|---|\n");
            row(md, "wall time to all delivered and read, s", daemon, peer, pairs, r -> r.wallSeconds, 2);
            row(md, "messages/s", daemon, peer, pairs, RunResult::messagesPerSecond, 1);
            row(md, "MB/s", daemon, peer, pairs, RunResult::megabytesPerSecond, 1);
            row(md, "EWS requests", daemon, peer, pairs, r -> r.ewsTotal(), 0);
            row(md, "EWS requests per delivered message", daemon, peer, pairs, RunResult::requestsPerMessage, 4);
            row(md, "token requests", daemon, peer, pairs, r -> r.tokenRequests, 0);
            row(md, "peak RSS, MiB (VmHWM)", daemon, peer, pairs, r -> r.peakRssKb / 1024.0, 0);
            row(md, "CPU, s (utime+stime)", daemon, peer, pairs, r -> r.cpuSeconds, 1);
            row(md, "largest heap before a GC, MiB", daemon, peer, pairs, r -> r.gcPeakBeforeMb, 0);
            row(md, "largest heap after a GC, MiB", daemon, peer, pairs, r -> r.gcPeakAfterMb, 0);
            md.append("| EWS requests by operation (median run) | ").append(opMedians(daemon)).append(" | ")
                    .append(opMedians(peer)).append(" | |\n");
            if (!daemon.isEmpty()) {
                md.append(String.format(Locale.ROOT, "| daemon: process start to /q/health/live 200, s | %s | | |%n",
                        fmt2(median(daemon, r -> r.readySeconds))));
                md.append(String.format(Locale.ROOT, "| daemon: Quarkus \"started in\", s | %s | | |%n",
                        fmt2(median(daemon, r -> r.startedInSeconds))));
                md.append(String.format(Locale.ROOT, "| daemon: its own poll time (\"in N ms\"), s | %s | | |%n",
                        fmt2(median(daemon, r -> r.pollMillis / 1000.0))));
                md.append(String.format(Locale.ROOT, "| daemon: heap used after the sync (jvm_memory_used_bytes), MiB | %s | | |%n",
                        fmt1(median(daemon, r -> r.heapUsedMb))));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** With --daemon-apps: each build's medians, and its ratio to the first build's run in the same pair. */
    static String builds(List<RunResult> all, List<String> profiles, List<java.nio.file.Path> apps) {
        StringBuilder md = new StringBuilder("## Daemon builds side by side\n\n");
        for (int a = 0; a < apps.size(); a++) {
            md.append("- daemon-").append(a + 1).append(": ").append(apps.get(a)).append('\n');
        }
        md.append("\n| profile | build | runs ok | wall s | poll s | CPU s | poll+HTTP threads' CPU s | peak RSS MiB | wall / build 1 | CPU / build 1 | poll+HTTP CPU / build 1 |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String profile : profiles) {
            List<RunResult> first = all.stream()
                    .filter(r -> r.profile.equals(profile) && r.who.equals("daemon-1") && r.ok).toList();
            for (int a = 1; a <= apps.size(); a++) {
                String who = "daemon-" + a;
                List<RunResult> runs = all.stream().filter(r -> r.profile.equals(profile) && r.who.equals(who) && r.ok)
                        .toList();
                List<Double> wall = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                List<Double> syncCpu = new ArrayList<>();
                for (RunResult r : runs) {
                    first.stream().filter(f -> f.pair == r.pair).findFirst().ifPresent(f -> {
                        wall.add(r.wallSeconds / f.wallSeconds);
                        cpu.add(r.cpuSeconds / f.cpuSeconds);
                        syncCpu.add(r.syncCpuSeconds / f.syncCpuSeconds);
                    });
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        profile, who, runs.size(), fmt2(median(runs, r -> r.wallSeconds)),
                        fmt2(median(runs, r -> r.pollMillis / 1000.0)), fmt2(median(runs, r -> r.cpuSeconds)),
                        fmt2(median(runs, r -> r.syncCpuSeconds)), fmt1(median(runs, r -> r.peakRssKb / 1024.0)),
                        num("%.3f", median(wall)), num("%.3f", median(cpu)), num("%.3f", median(syncCpu))));
            }
        }
        md.append("\nCPU seconds by thread group, medians:\n\n| profile | build |");
        for (String group : Proc.GROUPS) {
            md.append(' ').append(group).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(Proc.GROUPS.length)).append('\n');
        for (String profile : profiles) {
            for (int a = 1; a <= apps.size(); a++) {
                String who = "daemon-" + a;
                List<RunResult> runs = all.stream().filter(r -> r.profile.equals(profile) && r.who.equals(who) && r.ok
                        && r.cpuByThreadGroup != null).toList();
                md.append("| ").append(profile).append(" | ").append(who).append(" |");
                for (int g = 0; g < Proc.GROUPS.length; g++) {
                    int group = g;
                    md.append(' ').append(fmt2(median(runs, r -> r.cpuByThreadGroup[group]))).append(" |");
                }
                md.append('\n');
            }
        }
        return md.append('\n').toString();
    }

    private static void row(StringBuilder md, String name, List<RunResult> daemon, List<RunResult> peer,
                            List<RunResult[]> pairs, ToDoubleFunction<RunResult> f, int decimals) {
        List<Double> ratios = pairs.stream().map(p -> f.applyAsDouble(p[0]) / f.applyAsDouble(p[1])).toList();
        String format = "%." + decimals + "f";
        md.append("| ").append(name).append(" | ").append(num(format, median(daemon, f))).append(" | ")
                .append(num(format, median(peer, f))).append(" | ").append(num("%.3f", median(ratios)))
                .append(ratios.isEmpty() ? "" : " " + ratios.stream().map(v -> num("%.3f", v)).toList())
                .append(" |\n");
    }

    private static String opMedians(List<RunResult> runs) {
        Map<String, List<Double>> byOp = new TreeMap<>();
        runs.forEach(r -> r.ews.forEach((op, n) -> byOp.computeIfAbsent(op, k -> new ArrayList<>()).add((double) n)));
        StringBuilder s = new StringBuilder();
        byOp.forEach((op, values) -> s.append(s.length() == 0 ? "" : ", ").append(op).append(' ')
                .append(num("%.0f", median(values))));
        return s.toString();
    }

    private static String num(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    private static String fmt1(double v) {
        return v < 0 || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt2(double v) {
        return v < 0 || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt3(double v) {
        return v < 0 || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
