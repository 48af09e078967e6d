package io.prodigy.storage.tck.fault;

import java.time.Duration;

/**
 * How {@link FaultInjectingStorage} waits for a delay fault. Tests pass one that advances a
 * {@link io.prodigy.storage.tck.TestClock} (the call then "took" that long without any real waiting) or one that
 * blocks on a latch (a hanging backend).
 */
@FunctionalInterface
public interface Sleeper {

    /** Really sleeps. */
    Sleeper SYSTEM = d -> {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
