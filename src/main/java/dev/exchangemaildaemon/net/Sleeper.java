package dev.exchangemaildaemon.net;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits between attempts of a request; tests pass one that only records, or that moves their clock on. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = wait -> TimeUnit.NANOSECONDS.sleep(wait.toNanos());

    void sleep(Duration wait) throws InterruptedException;
}
