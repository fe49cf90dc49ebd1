package dev.exchangemaildaemon.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import dev.exchangemaildaemon.delivery.DeliveryLog;

/**
 * The delivery record of one mailbox with a long history (issue 12): how long it takes to open, and how much heap
 * it holds, with N delivered messages (default 10 million), run in a JVM with a small heap ({@code -Xmx64m}).
 *
 * <pre>
 * (cd bench && ../mvnw -B -q package)   # after ./mvnw -B -q package -DskipTests at the root
 * java -Xmx64m -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     dev.exchangemaildaemon.bench.RecordBench [records] [runs] [work dir]
 * </pre>
 *
 * The history is written once as the compacted index that {@link DeliveryLog} keeps (sorted 16-byte keys with a
 * state byte, a checksum trailer; {@code DeliveryLog.open} checks both, so a wrong layout here fails loudly), plus
 * a journal of recent lines; writing 10 million messages through the daemon would take days of polls. Each run
 * then opens the record (which reads the whole index once to prove its checksum and order), answers 100,000
 * lookups, and records new deliveries, 500 a poll, until one compaction has merged the journal into the index.
 */
public final class RecordBench {

    private static final byte[] MAGIC = "EMDIDX1\n".getBytes(StandardCharsets.US_ASCII);

    private RecordBench() {
    }

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "target/record-bench"));
        Path record = work.resolve("bench@contoso.com.delivered");
        System.out.printf("records %,d, runs %d, max heap %d MiB, %s%n", records, runs,
                Runtime.getRuntime().maxMemory() >> 20, work.toAbsolutePath());

        List<Double> openSeconds = new ArrayList<>();
        List<Double> openHeap = new ArrayList<>();
        List<Double> lookupMicros = new ArrayList<>();
        List<Double> compactSeconds = new ArrayList<>();
        List<Double> peakHeap = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            writeHistory(record, records);
            System.gc();
            resetPeaks();
            long started = System.nanoTime();
            try (DeliveryLog log = DeliveryLog.open(record)) {
                double open = (System.nanoTime() - started) / 1e9;
                System.gc();
                double heap = usedHeapMib();
                if (log.size() != records + 1000) {
                    throw new IllegalStateException("expected " + (records + 1000) + " keys, found " + log.size());
                }
                SplittableRandom random = new SplittableRandom(run);
                long lookups = System.nanoTime();
                for (int i = 0; i < 100_000; i++) {
                    long n = random.nextLong(records);
                    if (log.state(key(n)) != DeliveryLog.State.DONE) {
                        throw new IllegalStateException("key " + n + " not found");
                    }
                }
                double lookup = (System.nanoTime() - lookups) / 1e3 / 100_000;
                // new deliveries, 500 a poll, until the journal is merged into the index once; the time is that of
                // the last poll's two record writes, the second of which merged
                long next = records + 1_000_000;
                double compact = 0;
                for (long last = Files.size(record), now = last; now >= last; now = Files.size(record)) {
                    last = now;
                    List<String> batch = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        batch.add(key(next++));
                    }
                    long writes = System.nanoTime();
                    log.delivered(batch);
                    log.done(batch);
                    compact = (System.nanoTime() - writes) / 1e9;
                }
                double peak = peakHeapMib();
                System.out.printf("run %d: open %.2f s, heap after open %.1f MiB, lookup %.1f us, the poll that"
                        + " compacted (500 keys written, %,d merged) %.2f s, peak heap %.1f MiB (sum of the heap pools'"
                        + " peaks)%n", run, open, heap, lookup, log.size(), compact, peak);
                openSeconds.add(open);
                openHeap.add(heap);
                lookupMicros.add(lookup);
                compactSeconds.add(compact);
                peakHeap.add(peak);
            }
        }
        System.out.printf("median: open %.2f s, heap after open %.1f MiB, lookup %.1f us, compaction %.2f s,"
                + " peak heap %.1f MiB%n", median(openSeconds), median(openHeap), median(lookupMicros),
                median(compactSeconds), median(peakHeap));
    }

    /** Key n: its number first, so that keys in order of n are sorted as the index sorts them. */
    private static String key(long n) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ByteBuffer.allocate(16).putLong(n).putLong(n * 0x9E3779B97F4A7C15L).array());
    }

    /** The index of {@code records} done messages, and a journal of 1,000 more delivered since. */
    private static void writeHistory(Path record, long records) throws IOException {
        Path index = record.resolveSibling(record.getFileName() + ".index");
        CRC32C crc = new CRC32C();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(index), 1 << 16)) {
            out.write(MAGIC);
            ByteBuffer entry = ByteBuffer.allocate(17);
            for (long n = 0; n < records; n++) {
                entry.clear();
                entry.put(Base64.getUrlDecoder().decode(key(n))).put((byte) 'A');
                crc.update(entry.array());
                out.write(entry.array());
            }
            out.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
        }
        StringBuilder journal = new StringBuilder();
        for (long n = records; n < records + 1000; n++) {
            journal.append("D ").append(key(n)).append('\n');
        }
        Files.writeString(record, journal, StandardCharsets.US_ASCII);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static double peakHeapMib() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    private static double usedHeapMib() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
