package io.prodigy.storage.support;

import io.prodigy.storage.error.InvalidInputException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The range and precision of instants every backend stores: {@value #MIN_TEXT} to {@value #MAX_TEXT}, in whole
 * microseconds (PostgreSQL's {@code timestamptz} precision). Every record truncates its instants to microseconds in
 * its constructor ({@link #check}, {@link #normalize}), so what {@code save} returns equals what {@code load} returns
 * on every backend, whatever the caller's clock resolution. PostgreSQL's {@code timestamptz} covers it, ISO-8601 writes it with a four-digit year, and every duration
 * between two such instants fits a {@code long} of nanoseconds' worth of arithmetic in {@link java.time.Duration}, so
 * statistics and ages over stored data never overflow. The API records check their instants here, so the rule is
 * the same on every backend and bad input is refused before anything is stored.
 */
public final class InstantRange {

    static final String MIN_TEXT = "0000-01-01T00:00:00Z";
    static final String MAX_TEXT = "9999-12-31T23:59:59.999999Z";

    /** The earliest instant accepted. */
    public static final Instant MIN = Instant.parse(MIN_TEXT);
    /** The latest instant accepted. */
    public static final Instant MAX = Instant.parse(MAX_TEXT);

    private InstantRange() {}

    /** The precision every backend stores. */
    public static final ChronoUnit PRECISION = ChronoUnit.MICROS;

    /**
     * Returns {@code value} truncated to {@link #PRECISION} ({@code null} passes: the caller decides whether it is
     * required).
     *
     * @param what what the instant is, for the message ({@code "event timestamp"})
     * @throws InvalidInputException if it lies outside {@link #MIN}..{@link #MAX}
     */
    public static Instant check(String what, Instant value) {
        if (value != null && (value.isBefore(MIN) || value.isAfter(MAX))) {
            throw new InvalidInputException("The " + what + " " + value + " is outside the range every backend"
                    + " stores (" + MIN_TEXT + " to " + MAX_TEXT + "). Pass a time in that range.");
        }
        return normalize(value);
    }

    /** {@code value} truncated to {@link #PRECISION}; {@code null} stays {@code null}. */
    public static Instant normalize(Instant value) {
        return value == null ? null : value.truncatedTo(PRECISION);
    }
}
