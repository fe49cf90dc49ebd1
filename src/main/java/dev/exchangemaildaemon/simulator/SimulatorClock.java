package dev.exchangemaildaemon.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The one clock every part of the simulator reads (token lifetimes, fault windows, Date headers, received times):
 * the system clock unless a test swaps in its own, so time-dependent rules are tested by moving time, not waiting.
 */
final class SimulatorClock extends Clock {

    private volatile Clock delegate = Clock.systemUTC();

    void use(Clock clock) {
        delegate = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Instant instant() {
        return delegate.instant();
    }

    @Override
    public ZoneId getZone() {
        return delegate.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return delegate.withZone(zone);
    }
}
