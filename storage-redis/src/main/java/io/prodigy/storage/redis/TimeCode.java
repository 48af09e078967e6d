package io.prodigy.storage.redis;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The fixed-width time code that index members and event entries start with: seconds since
 * {@link InstantRange#MIN} in 12 digits, then nanoseconds in 9. Byte order is time order, so a sorted set of
 * {@code code + id} members (all scores 0) orders by time, then id bytes, and answers time ranges with
 * {@code ZRANGE … BYLEX}. The Lua prelude writes the same code ({@code enc}).
 */
final class TimeCode {

    /** Characters in a code. */
    static final int LENGTH = 21;

    private static final long BASE_SECONDS = InstantRange.MIN.getEpochSecond();

    private TimeCode() {}

    static String of(Instant t) {
        long seconds = t.getEpochSecond() - BASE_SECONDS;
        String s = Long.toString(seconds);
        String n = Integer.toString(t.getNano());
        StringBuilder sb = new StringBuilder(LENGTH);
        sb.append("0".repeat(12 - s.length())).append(s).append("0".repeat(9 - n.length())).append(n);
        return sb.toString();
    }

    static Instant parse(String code) {
        if (code == null || code.length() < LENGTH) {
            throw new CorruptionException("Redis holds a malformed time code '" + code + "': expected " + LENGTH
                    + " digits. Another program may write under this key prefix.");
        }
        try {
            long seconds = Long.parseLong(code, 0, 12, 10);
            int nanos = Integer.parseInt(code, 12, LENGTH, 10);
            return Instant.ofEpochSecond(seconds + BASE_SECONDS, nanos);
        } catch (NumberFormatException e) {
            throw new CorruptionException("Redis holds a malformed time code '" + code + "'.", e);
        }
    }

    /** Microseconds since the epoch, as scripts and stamps use them. */
    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant ofMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static Instant ofMicros(String micros) {
        return ofMicros(Long.parseLong(micros));
    }

    /** Lex bound for members strictly after {@code t} ({@code -} if null). */
    static String after(Instant t) {
        return t == null ? "-" : "[" + of(t.plusNanos(1));
    }

    /** Lex bound for members strictly before {@code t} ({@code +} if null). */
    static String before(Instant t) {
        return t == null ? "+" : "(" + of(t);
    }
}
