package dev.exchangemaildaemon.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The injected EWS faults, tried in the order they were added; the first that hits a request acts on it. */
public final class EwsFaults {

    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    void add(Fault fault) {
        faults.add(fault);
    }

    public Optional<FaultAction> claim(EwsCall call, Instant now) {
        for (Fault fault : faults) {
            if (fault.claim(call, now)) {
                return Optional.of(fault.action());
            }
        }
        return Optional.empty();
    }

    void clear() {
        faults.clear();
    }
}
