package io.prodigy.storage.core.layer;

import io.prodigy.storage.core.layer.retry.Sleeper;
import io.prodigy.storage.core.layer.timeout.TimeLimiter;
import io.prodigy.storage.tck.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Time for layer tests, without real waiting: one {@link TestClock} drives the storage's clock, the retry layer's
 * sleeps (which advance it and are recorded), the fault decorator's delays (which advance it), the latency ticker,
 * and a {@link TimeLimiter} that runs the call on the caller's thread and reports a timeout when the call advanced
 * the clock past the limit. So "the backend took 31s with a 30s timeout" is a delay fault plus this limiter: the
 * call is applied (as a real timed-out call may be) and the caller gets the timeout.
 */
public final class VirtualTime implements TimeLimiter {

    private final TestClock clock = TestClock.startingNow();
    private final List<Duration> retrySleeps = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public TestClock clock() {
        return clock;
    }

    /** The retry layer's sleeper: records the delay and moves the clock. */
    public Sleeper retrySleeper() {
        return d -> {
            retrySleeps.add(d);
            clock.advance(d);
        };
    }

    /** The fault decorator's sleeper: moves the clock. */
    public io.prodigy.storage.tck.fault.Sleeper faultSleeper() {
        return clock::advance;
    }

    /** Nanoseconds of the virtual clock, for latency measurements. */
    public LongSupplier nanoTicker() {
        return () -> {
            Instant t = clock.instant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        };
    }

    /** The delays the retry layer waited, in order. */
    public List<Duration> retrySleeps() {
        return List.copyOf(retrySleeps);
    }

    @Override
    public <T> T call(Supplier<T> task, Duration limit) throws TimeoutException {
        Instant start = clock.instant();
        T result = null;
        RuntimeException failure = null;
        try {
            result = task.get();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (Duration.between(start, clock.instant()).compareTo(limit) > 0) {
            throw new TimeoutException("virtual call took longer than " + limit);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
