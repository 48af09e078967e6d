package io.prodigy.storage.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it. The contracts pass one to every storage they open (through
 * {@link io.prodigy.storage.StorageContext#clock()}), so lease, claim and TTL expiry can be tested by moving time
 * instead of sleeping, for backends that declare {@link io.prodigy.storage.Capability#CLIENT_CLOCK}.
 *
 * <p>Thread-safe. {@link #withZone} returns a view that shares this clock's time, so a backend that re-zones the
 * clock still follows the test. The default start, {@link #DEFAULT_START}, has millisecond precision, so instants
 * derived from it survive backends that store milliseconds or microseconds.
 */
public final class TestClock extends Clock {

    /** Where {@link #startingNow()} starts: a fixed instant, so failures reproduce. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-15T10:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private TestClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock standing at {@code start}, in UTC. */
    public static TestClock at(Instant start) {
        return new TestClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /** A clock standing at {@link #DEFAULT_START}. */
    public static TestClock startingNow() {
        return at(DEFAULT_START);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time (moving either moves both). */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new TestClock(now, Objects.requireNonNull(newZone, "zone"));
    }

    /**
     * Moves time forward.
     *
     * @return the new instant
     * @throws IllegalArgumentException if {@code amount} is negative (use {@link #set} to move time back on purpose)
     */
    public Instant advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("advance takes a non-negative amount, was " + amount
                    + "; use set(Instant) to move the clock back deliberately");
        }
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** Moves time to {@code instant}, forwards or backwards (for clock-skew scenarios). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public String toString() {
        return "TestClock[" + now.get() + ", " + zone + "]";
    }
}
