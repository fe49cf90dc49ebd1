package dev.exchangemaildaemon.check;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** All checks of one run; {@code OK} only when every check is. */
@RegisterForReflection
public record CheckReport(String result, List<CheckOutcome> checks) {

    static CheckReport of(List<CheckOutcome> checks) {
        return new CheckReport(checks.stream().allMatch(CheckOutcome::ok) ? "OK" : "ERROR", List.copyOf(checks));
    }

    public boolean ok() {
        return "OK".equals(result);
    }
}
