package dev.exchangemaildaemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux says about a running process, and what its GC log says about its heap. */
final class Proc {

    /** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS = 100.0;
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private Proc() {
    }

    /** VmHWM (peak resident set) in KiB, or -1 once the process is gone. */
    static long peakRssKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    private static long statusField(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    /** User plus system CPU seconds of the process so far (all its threads), or -1 once it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /**
     * User plus system CPU seconds of the process's threads whose name starts with one of the prefixes (the
     * daemon's poll and HTTP client threads: the sync's own work, without the start), or -1 once it is gone.
     */
    static double threadCpuSeconds(long pid, String... prefixes) {
        double sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    boolean wanted = false;
                    for (String prefix : prefixes) {
                        wanted |= name.startsWith(prefix);
                    }
                    if (wanted) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
                    }
                } catch (IOException ended) {
                    // that thread is gone
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return sum;
    }

    /** The thread groups of {@link #cpuByThreadGroup}, by the start of their Linux thread names. */
    static final String[] GROUPS = { "poll", "HTTP client", "JIT", "GC", "start and the rest",
        "poll: of which in the kernel" };

    /**
     * User plus system CPU seconds of the process's threads, by group: the poll threads, the HTTP client's, the JIT
     * compilers, the garbage collector, and everything else (JVM and Quarkus start, token, timers); null once the
     * process is gone.
     */
    static double[] cpuByThreadGroup(long pid) {
        double[] seconds = new double[GROUPS.length];
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    int group = name.startsWith("poll-") ? 0 : name.startsWith("HttpClient-") ? 1
                            : name.contains("CompilerThre") ? 2
                            : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 3 : 4;
                    seconds[group] += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
                    if (group == 0) {
                        seconds[5] += Long.parseLong(fields[12]) / TICKS;
                    }
                } catch (IOException ended) {
                    // that thread is gone
                }
            }
        } catch (IOException | RuntimeException gone) {
            return null;
        }
        return seconds;
    }

    /** From a {@code -Xlog:gc} file: the largest heap occupancy before a collection and after one, in MB. */
    static long[] gcPeaks(Path gcLog) {
        long before = 0;
        long after = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC.matcher(line);
                if (m.find()) {
                    before = Math.max(before, Long.parseLong(m.group(1)));
                    after = Math.max(after, Long.parseLong(m.group(2)));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return new long[] { -1, -1 };
        }
        return new long[] { before, after };
    }
}
