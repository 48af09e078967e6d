package io.prodigy.storage.postgres;

import java.time.Duration;

/** Durations as whole microseconds, PostgreSQL's resolution for timestamps and intervals. */
final class Micros {

    /** Longer durations are clamped here: about 292,000 years, beyond any timestamp the store keeps. */
    private static final long MAX = Long.MAX_VALUE / 1_000;

    private Micros() {}

    /** {@code d} in microseconds, rounded down, clamped to ±{@link #MAX}. */
    static long of(Duration d) {
        long seconds = d.getSeconds();
        if (Math.abs(seconds) >= MAX / 1_000_000) {
            return seconds < 0 ? -MAX : MAX;
        }
        return seconds * 1_000_000 + d.getNano() / 1_000;
    }
}
