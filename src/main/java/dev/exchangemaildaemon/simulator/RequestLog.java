package dev.exchangemaildaemon.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What clients asked of the simulator, for tests to inspect. */
public final class RequestLog {

    private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();
    private final List<EwsRequestRecord> ewsRequests = new CopyOnWriteArrayList<>();
    private final List<GraphRequestRecord> graphRequests = new CopyOnWriteArrayList<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

    /** Requests to one mailbox being answered now, and the most there were at once. */
    private static final class InFlight {
        int now;
        int peak;
    }

    public void tokenRequest(String grantType) {
        tokenRequests.computeIfAbsent(grantType, type -> new AtomicInteger()).incrementAndGet();
    }

    int tokenRequests(String grantType) {
        AtomicInteger count = tokenRequests.get(grantType);
        return count == null ? 0 : count.get();
    }

    public void ewsRequest(EwsRequestRecord record) {
        ewsRequests.add(record);
    }

    List<EwsRequestRecord> ewsRequests() {
        return List.copyOf(ewsRequests);
    }

    public void graphRequest(GraphRequestRecord record) {
        graphRequests.add(record);
    }

    List<GraphRequestRecord> graphRequests() {
        return List.copyOf(graphRequests);
    }

    /** A request to the mailbox (case-insensitive; null: none) starts being answered. */
    public void begin(String mailbox) {
        tryBegin(mailbox, Integer.MAX_VALUE);
    }

    /** Like {@link #begin}, unless {@code limit} requests to the mailbox are being answered: then false. */
    public boolean tryBegin(String mailbox, int limit) {
        if (mailbox == null) {
            return true;
        }
        InFlight requests = inFlight.computeIfAbsent(mailbox.toLowerCase(Locale.ROOT), key -> new InFlight());
        synchronized (requests) {
            if (requests.now >= limit) {
                return false;
            }
            requests.now++;
            requests.peak = Math.max(requests.peak, requests.now);
            return true;
        }
    }

    /** The answer to a request {@link #begin begun} for the mailbox has been written or abandoned. */
    public void end(String mailbox) {
        if (mailbox == null) {
            return;
        }
        InFlight requests = inFlight.get(mailbox.toLowerCase(Locale.ROOT));
        synchronized (requests) {
            requests.now--;
        }
    }

    int peakInFlight(String mailbox) {
        InFlight requests = inFlight.get(mailbox.toLowerCase(Locale.ROOT));
        if (requests == null) {
            return 0;
        }
        synchronized (requests) {
            return requests.peak;
        }
    }

    void reset() {
        inFlight.values().forEach(requests -> {
            synchronized (requests) {
                requests.peak = requests.now;
            }
        });
        tokenRequests.clear();
        ewsRequests.clear();
        graphRequests.clear();
    }
}
