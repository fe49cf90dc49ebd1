package dev.exchangemaildaemon.ews;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits between attempts of an EWS request; tests pass one that only records. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = wait -> TimeUnit.NANOSECONDS.sleep(wait.toNanos());

    void sleep(Duration wait) throws InterruptedException;
}
