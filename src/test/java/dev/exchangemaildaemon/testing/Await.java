package dev.exchangemaildaemon.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition the code under test brings about, never for a while: it looks again every few
 * milliseconds and fails, saying what it waited for, once the deadline has passed. The deadline is generous; a
 * test that passes never reaches it.
 */
public final class Await {

    private static final long EVERY_MILLIS = 5;

    private Await() {
    }

    /** Returns once the condition holds; fails the test if it does not within that time. */
    public static void until(String what, Duration within, BooleanSupplier condition) {
        until(() -> what, within, condition);
    }

    /** The same, with a description made when it fails (the state that was seen, a log's tail). */
    public static void until(Supplier<String> what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + within.toMillis() + " ms: " + what.get());
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + what.get());
            }
        }
    }
}
