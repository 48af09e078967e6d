package io.prodigy.storage.core.layer.retry;

import java.time.Duration;

/**
 * How the retry layer waits between attempts. Injectable so that tests record the schedule instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps with {@link Thread#sleep}. */
    Sleeper SYSTEM = d -> {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    };

    /** Waits {@code duration}; returns early only by throwing. */
    void sleep(Duration duration) throws InterruptedException;
}
