package dev.exchangemaildaemon.bench;

import java.util.Map;
import java.util.TreeMap;

/** One measured run of the daemon or the peer. */
final class RunResult {
    String who;            // daemon or peer
    String profile;        // none or latency
    int pair;
    String xmx;
    boolean ok;
    String note = "";
    double wallSeconds;
    int delivered;
    long bytes;
    Map<String, Integer> ews = new TreeMap<>();
    int tokenRequests;
    long peakRssKb = -1;
    double cpuSeconds = -1;
    double syncCpuSeconds = -1;   // the daemon's poll and HTTP client threads only (no start, GC or JIT)
    double[] cpuByThreadGroup;    // Proc.GROUPS
    double readySeconds = -1;     // process start to /q/health/live answering 200
    double startedInSeconds = -1; // Quarkus' own "started in" figure
    long heapUsedMb = -1;         // jvm_memory_used_bytes{area="heap"} right after the sync
    long gcPeakBeforeMb = -1;     // largest heap occupancy seen before a GC
    long gcPeakAfterMb = -1;      // largest heap occupancy seen after a GC
    long pollMillis = -1;         // the daemon's own "in N ms"

    int ewsTotal() {
        return ews.values().stream().mapToInt(Integer::intValue).sum();
    }

    double messagesPerSecond() {
        return wallSeconds > 0 ? delivered / wallSeconds : Double.NaN;
    }

    double megabytesPerSecond() {
        return wallSeconds > 0 ? bytes / 1e6 / wallSeconds : Double.NaN;
    }

    double requestsPerMessage() {
        return delivered == 0 ? Double.NaN : (double) ewsTotal() / delivered;
    }

    String csv() {
        return String.join(",", profile, Integer.toString(pair), who, xmx, Boolean.toString(ok),
                fmt(wallSeconds), Integer.toString(delivered), Long.toString(bytes), fmt(messagesPerSecond()),
                fmt(megabytesPerSecond()), Integer.toString(ewsTotal()), fmt(requestsPerMessage()),
                '"' + ews.toString() + '"', Integer.toString(tokenRequests), Long.toString(peakRssKb / 1024),
                fmt(cpuSeconds), fmt(readySeconds), fmt(startedInSeconds), Long.toString(heapUsedMb),
                Long.toString(gcPeakBeforeMb), Long.toString(gcPeakAfterMb), Long.toString(pollMillis),
                '"' + note.replace('"', '\'') + '"');
    }

    static String csvHeader() {
        return "profile,pair,who,xmx,ok,wall_s,delivered,bytes,msgs_per_s,MB_per_s,ews_requests,requests_per_msg,"
                + "ews_by_operation,token_requests,peak_rss_MiB,cpu_s,ready_s,quarkus_started_in_s,heap_used_MiB,"
                + "gc_peak_before_MiB,gc_peak_after_MiB,daemon_poll_ms,note";
    }

    static String fmt(double value) {
        return value < 0 || Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
