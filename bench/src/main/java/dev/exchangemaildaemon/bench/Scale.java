package dev.exchangemaildaemon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.exchangemaildaemon.simulator.EwsRequestRecord;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;

/**
 * The scale profile: one daemon, many mailboxes (app-only token, impersonation), a one-minute interval, a few new
 * messages per mailbox per minute, latency on. Watches which mailboxes get a FindItem when (to the second), the
 * token requests, and the daemon's CPU and RSS over time.
 */
final class Scale {

    private Scale() {
    }

    static String run(Map<String, String> o, Path dir) throws Exception {
        int mailboxes = Integer.parseInt(o.getOrDefault("scale-mailboxes", "1000"));
        double minutes = Double.parseDouble(o.getOrDefault("scale-minutes", "5"));
        int perMinute = Integer.parseInt(o.getOrDefault("scale-per-minute", "2"));
        int latencyMs = Integer.parseInt(o.getOrDefault("scale-latency-ms", "125"));
        int parallel = Integer.parseInt(o.getOrDefault("scale-parallel", "4"));
        int tokenLifetimeMin = Integer.parseInt(o.getOrDefault("scale-token-lifetime-min", "60"));
        String xmx = o.getOrDefault("xmx", "64m");
        List<byte[]> pool = MessageGenerator.small(99, 200, "scale@contoso.com");

        ExchangeSimulator sim = ExchangeSimulator.start(0).registerApp(Runners.CLIENT_ID, Runners.CLIENT_SECRET)
                .tokenLifetime(Duration.ofMinutes(tokenLifetimeMin));
        if (latencyMs > 0) {
            sim.ewsFault(HttpFault.delay(Duration.ofMillis(latencyMs)).times(Integer.MAX_VALUE));
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < mailboxes; i++) {
            String address = String.format("scale-%04d@contoso.com", i);
            addresses.add(address);
            sim.addMailbox(address);
        }
        System.out.printf("scale: %d mailboxes, %s min, %d new messages per mailbox per minute, latency %d ms, parallel-polls %d%n",
                mailboxes, minutes, perMinute, latencyMs, parallel);
        Map<String, List<Double>> polls = new HashMap<>();
        List<double[]> samples = new ArrayList<>();  // seconds, cpu s, rss MiB, token requests, EWS requests
        AtomicInteger warnings = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        int deliveredToServer = 0;
        int seen = 0;
        double end;
        long peak;
        try (Runners.Daemon daemon = new Runners.Daemon(sim, dir, addresses, "1m", parallel, xmx, line -> {
            if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                if (warnings.incrementAndGet() <= 5) {
                    System.out.println("scale: daemon says: " + line);
                }
            }
        })) {
            double duration = minutes * 60;
            double perSecond = mailboxes * perMinute / 60.0;
            double owed = 0;
            int next = 0;
            double lastSample = -10;
            while (daemon.seconds() < duration) {
                double now = daemon.seconds();
                // new mail, spread evenly over the minute and over the mailboxes
                owed += perSecond * 0.25;
                while (owed >= 1) {
                    sim.deliver(addresses.get(next), "inbox", pool.get(deliveredToServer % pool.size()), false);
                    next = (next + 1) % mailboxes;
                    deliveredToServer++;
                    owed--;
                }
                List<EwsRequestRecord> requests = sim.ewsRequests();
                for (int i = seen; i < requests.size(); i++) {
                    EwsRequestRecord r = requests.get(i);
                    if (r.operation().equals("FindItem")) {
                        polls.computeIfAbsent(r.impersonatedAddress(), k -> new ArrayList<>()).add(now);
                    }
                }
                seen = requests.size();
                if (now - lastSample >= 10) {
                    lastSample = now;
                    samples.add(new double[] { now, Proc.cpuSeconds(daemon.process.pid()),
                            Proc.rssKb(daemon.process.pid()) / 1024.0, sim.tokenRequests("client_credentials"), seen });
                }
                if (!daemon.process.isAlive()) {
                    break;
                }
                Runners.sleep(250);
            }
            end = daemon.seconds();
            samples.add(new double[] { end, Proc.cpuSeconds(daemon.process.pid()),
                    Proc.rssKb(daemon.process.pid()) / 1024.0, sim.tokenRequests("client_credentials"), seen });
            peak = Proc.peakRssKb(daemon.process.pid());
        }
        sim.clearFaults();
        {
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT,
                    "## Scale profile: %d mailboxes, interval 1 min, %d new messages per mailbox per minute, every EWS request delayed %d ms, parallel-polls %d, -Xmx%s, %.1f min%n%n",
                    mailboxes, perMinute, latencyMs, parallel, xmx, end / 60));
            // polled within each interval? gaps between consecutive FindItems of a mailbox, after its first poll
            List<Double> gaps = new ArrayList<>();
            int neverPolled = 0;
            int lateMailboxes = 0;
            for (String address : addresses) {
                List<Double> times = polls.getOrDefault(address, List.of());
                if (times.isEmpty()) {
                    neverPolled++;
                    continue;
                }
                boolean late = false;
                for (int i = 1; i < times.size(); i++) {
                    double gap = times.get(i) - times.get(i - 1);
                    gaps.add(gap);
                    late |= gap > 62;
                }
                // still waiting at the end for longer than an interval counts as late too
                late |= end - times.get(times.size() - 1) > 62;
                if (late) {
                    lateMailboxes++;
                }
            }
            gaps.sort(null);
            double firstRoundDone = addresses.stream().mapToDouble(a -> polls.getOrDefault(a, List.of(Double.NaN)).get(0))
                    .max().orElse(Double.NaN);
            int polledTotal = polls.values().stream().mapToInt(List::size).sum();
            md.append("| measure | value |\n|---|---|\n");
            md.append(String.format(Locale.ROOT, "| mailboxes never polled | %d |%n", neverPolled));
            md.append(String.format(Locale.ROOT, "| first poll of the last mailbox, s after process start | %.0f |%n", firstRoundDone));
            md.append(String.format(Locale.ROOT, "| polls (FindItem) in all; per mailbox per minute | %d; %.2f |%n",
                    polledTotal, polledTotal / (double) mailboxes / (end / 60)));
            md.append(String.format(Locale.ROOT, "| gap between two polls of a mailbox: median / 95th pct / max, s | %s / %s / %s |%n",
                    pct(gaps, 0.5), pct(gaps, 0.95), pct(gaps, 1.0)));
            md.append(String.format(Locale.ROOT, "| mailboxes with a gap over 62 s (or waiting over 62 s at the end) | %d |%n", lateMailboxes));
            md.append(String.format(Locale.ROOT, "| token requests (token lifetime %d min) | %d |%n", tokenLifetimeMin,
                    sim.tokenRequests("client_credentials")));
            md.append(String.format(Locale.ROOT, "| EWS requests by operation | %s |%n", counts(sim.ewsRequests())));
            md.append(String.format(Locale.ROOT, "| messages put on the server; in the Maildirs at the end | %d; %d |%n",
                    deliveredToServer, countFiles(dir.resolve("maildir"))));
            md.append(String.format(Locale.ROOT, "| daemon WARN/ERROR lines | %d |%n", warnings.get()));
            md.append(String.format(Locale.ROOT, "| peak RSS (VmHWM), MiB | %d |%n", peak / 1024));
            // steady state: from the end of the first round (or 2 min) to the end
            double from = Math.max(120, Double.isNaN(firstRoundDone) ? 120 : firstRoundDone);
            double[] a = samples.stream().filter(s -> s[0] >= from).findFirst().orElse(samples.get(0));
            double[] b = samples.get(samples.size() - 1);
            md.append(String.format(Locale.ROOT, "| steady-state CPU (from %.0f s to %.0f s), share of one core | %.3f |%n",
                    a[0], b[0], (b[1] - a[1]) / (b[0] - a[0])));
            md.append(String.format(Locale.ROOT, "| CPU in all, s | %.1f |%n%n", b[1]));
            md.append("Over time (every 10 s; CPU share of one core over the preceding sample):\n\n| s | CPU s | CPU share | RSS MiB | token requests | EWS requests |\n|---|---|---|---|---|---|\n");
            for (int i = 0; i < samples.size(); i++) {
                double[] s = samples.get(i);
                double share = i == 0 ? Double.NaN : (s[1] - samples.get(i - 1)[1]) / (s[0] - samples.get(i - 1)[0]);
                md.append(String.format(Locale.ROOT, "| %.0f | %.1f | %.2f | %.0f | %.0f | %.0f |%n", s[0], s[1], share,
                        s[2], s[3], s[4]));
            }
            md.append('\n');
            System.out.print(md);
            sim.stop();
            return md.toString();
        }
    }

    private static String pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = (int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)));
        return String.format(Locale.ROOT, "%.1f", sorted.get(index));
    }

    private static String counts(List<EwsRequestRecord> requests) {
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach(r -> counts.merge(r.operation(), 1, Integer::sum));
        return counts.toString();
    }

    private static long countFiles(Path maildir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(maildir)) {
            return 0;
        }
        try (var paths = java.nio.file.Files.walk(maildir)) {
            return paths.filter(p -> java.nio.file.Files.isRegularFile(p)
                    && (p.getParent().getFileName().toString().equals("new")
                    || p.getParent().getFileName().toString().equals("cur"))).count();
        }
    }
}
