package io.prodigy.storage.tck;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/**
 * Waits for something that happens on another thread (a subscription delivering, a waiter being granted a lock).
 * Polls every few milliseconds and fails with {@code description} if the condition is still false after the
 * timeout. The timeout only guards against hangs; it is never an assertion about speed.
 */
public final class Await {

    /** The default guard: long enough for a loaded 2-core CI machine, short enough to fail a hung test. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /**
     * The guard for a bounded concurrent workload (hundreds of durable claims by several threads): against a hang,
     * not a speed test. On a 2-core machine loaded 15-30 deep the file and S3 backends took more than
     * {@link #DEFAULT_TIMEOUT} for the 300-item claim workload, and the test failed without anything being wrong.
     */
    public static final Duration WORKLOAD_TIMEOUT = Duration.ofMinutes(3);

    private Await() {}

    /** Waits up to {@link #DEFAULT_TIMEOUT}. */
    public static void until(String description, BooleanSupplier condition) {
        until(description, condition, DEFAULT_TIMEOUT);
    }

    public static void until(String description, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionFailedError("Timed out after " + timeout + " waiting until " + description);
            }
            sleep(Duration.ofMillis(2));
        }
    }

    /** Sleeps, turning an interrupt into a test failure (and keeping the interrupt flag). */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("Interrupted while waiting", e);
        }
    }
}
