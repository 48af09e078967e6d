package io.prodigy.storage.migrate.copy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells a live migration ({@link StorageMigrator#follow}) to stop following and cut over. It fires when
 * {@link #request} is called (from another thread: a shutdown hook, an operator's button) or when one of its
 * conditions holds: a file appeared, a time passed. Once fired it stays fired, and {@link #reason()} says why.
 *
 * <p>Immutable conditions, thread-safe firing: {@link #or} returns a new signal sharing this one's manual trigger.
 */
public final class StopSignal {

    /** How often conditions are looked at while waiting, in milliseconds. */
    static final long CHECK_MILLIS = 100;

    private final Trigger trigger;
    private final List<Supplier<Optional<String>>> conditions;

    private StopSignal(Trigger trigger, List<Supplier<Optional<String>>> conditions) {
        this.trigger = trigger;
        this.conditions = List.copyOf(conditions);
    }

    /** A signal that fires only when {@link #request} is called. */
    public static StopSignal manual() {
        return new StopSignal(new Trigger(), List.of());
    }

    /** This signal, also firing once {@code file} exists (an operator's {@code touch}, a deployment script). */
    public StopSignal orWhenFileExists(Path file) {
        Objects.requireNonNull(file, "file");
        return or(() -> Files.exists(file) ? Optional.of(file + " appeared") : Optional.empty());
    }

    /** This signal, also firing once {@code duration} has passed from now on {@code clock} (reason: "10m passed"). */
    public StopSignal orAfter(Duration duration, Clock clock) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        Instant deadline = clock.instant().plus(duration);
        return or(() -> clock.instant().isBefore(deadline) ? Optional.empty()
                : Optional.of(duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " passed"));
    }

    private StopSignal or(Supplier<Optional<String>> condition) {
        List<Supplier<Optional<String>>> all = new java.util.ArrayList<>(conditions);
        all.add(condition);
        return new StopSignal(trigger, all);
    }

    /** Fires the signal; later calls keep the first reason. */
    public void request(String reason) {
        trigger.fire(reason);
    }

    /** Whether the signal has fired (checks the conditions now). */
    public boolean fired() {
        if (trigger.fired()) {
            return true;
        }
        for (Supplier<Optional<String>> c : conditions) {
            Optional<String> why = c.get();
            if (why.isPresent()) {
                trigger.fire(why.get());
                return true;
            }
        }
        return false;
    }

    /** Why the signal fired, or empty if it has not. */
    public Optional<String> reason() {
        return fired() ? Optional.of(trigger.reason) : Optional.empty();
    }

    /**
     * Waits up to {@code timeout} for the signal, looking at the conditions every {@value #CHECK_MILLIS} ms.
     *
     * @return whether it fired
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!fired()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            trigger.latch.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS)), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** The part shared by a signal and the signals derived from it. */
    private static final class Trigger {
        private final CountDownLatch latch = new CountDownLatch(1);
        private volatile String reason;

        synchronized void fire(String why) {
            if (reason == null) {
                reason = Objects.requireNonNullElse(why, "stop requested");
                latch.countDown();
            }
        }

        boolean fired() {
            return reason != null;
        }
    }
}
