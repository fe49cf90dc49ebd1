package dev.exchangemaildaemon.check;

import java.util.List;

/** All checks of one run; {@code OK} only when every check is. */
public record CheckReport(String result, List<CheckOutcome> checks) {

    static CheckReport of(List<CheckOutcome> checks) {
        return new CheckReport(checks.stream().allMatch(CheckOutcome::ok) ? "OK" : "ERROR", List.copyOf(checks));
    }

    public boolean ok() {
        return "OK".equals(result);
    }
}
