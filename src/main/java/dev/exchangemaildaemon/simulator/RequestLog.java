package dev.exchangemaildaemon.simulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What clients asked of the simulator, for tests to inspect. */
final class RequestLog {

    private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();
    private final List<EwsRequestRecord> ewsRequests = new CopyOnWriteArrayList<>();
    private final List<GraphRequestRecord> graphRequests = new CopyOnWriteArrayList<>();

    void tokenRequest(String grantType) {
        tokenRequests.computeIfAbsent(grantType, type -> new AtomicInteger()).incrementAndGet();
    }

    int tokenRequests(String grantType) {
        AtomicInteger count = tokenRequests.get(grantType);
        return count == null ? 0 : count.get();
    }

    void ewsRequest(EwsRequestRecord record) {
        ewsRequests.add(record);
    }

    List<EwsRequestRecord> ewsRequests() {
        return List.copyOf(ewsRequests);
    }

    void graphRequest(GraphRequestRecord record) {
        graphRequests.add(record);
    }

    List<GraphRequestRecord> graphRequests() {
        return List.copyOf(graphRequests);
    }

    void reset() {
        tokenRequests.clear();
        ewsRequests.clear();
        graphRequests.clear();
    }
}
