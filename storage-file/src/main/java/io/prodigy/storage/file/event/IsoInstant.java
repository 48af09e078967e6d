package io.prodigy.storage.file.event;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC timestamps of event lines, formatted and parsed by hand because the general {@link DateTimeFormatter}
 * machinery was the largest single cost of appending and of scanning events.
 *
 * <p>{@link #format} produces exactly the text of {@link DateTimeFormatter#ISO_INSTANT} (which is what Jackson wrote
 * before): {@code yyyy-MM-ddTHH:mm:ss} plus a fraction of 0, 3, 6 or 9 digits (the fewest that keep every non-zero
 * digit) and {@code Z}. {@link #parse} accepts exactly that shape (with a fraction of 1 to 9 digits) and returns
 * {@code null} for anything else, so that callers fall back to the general parser for unusual input.
 */
final class IsoInstant {

    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years written with exactly four digits and no sign. */
    private static final long MIN_FAST_SECOND = -62_167_219_200L;
    private static final long MAX_FAST_SECOND = 253_402_300_800L;
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** The longest text {@link #format} writes into a buffer: {@code 0000-00-00T00:00:00.000000000Z}. */
    static final int MAX_LENGTH = 30;

    private IsoInstant() {}

    /**
     * Writes {@code t} into {@code out} (at least {@link #MAX_LENGTH} chars) and returns the length, or returns -1 if
     * its year is outside 0..9999 (then use {@link DateTimeFormatter#ISO_INSTANT}).
     */
    static int format(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds >= MAX_FAST_SECOND) {
            return -1;
        }
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian like java.time).
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

        put4(out, 0, year);
        out[4] = '-';
        put2(out, 5, month);
        out[7] = '-';
        put2(out, 8, day);
        out[10] = 'T';
        put2(out, 11, secondOfDay / 3_600);
        out[13] = ':';
        put2(out, 14, secondOfDay / 60 % 60);
        out[16] = ':';
        put2(out, 17, secondOfDay % 60);
        int n = 19;
        int nanos = t.getNano();
        if (nanos != 0) {
            out[n++] = '.';
            int digits;
            int value;
            if (nanos % 1_000_000 == 0) {
                digits = 3;
                value = nanos / 1_000_000;
            } else if (nanos % 1_000 == 0) {
                digits = 6;
                value = nanos / 1_000;
            } else {
                digits = 9;
                value = nanos;
            }
            for (int i = n + digits - 1; i >= n; i--) {
                out[i] = (char) ('0' + value % 10);
                value /= 10;
            }
            n += digits;
        }
        out[n++] = 'Z';
        return n;
    }

    /** {@code t} as {@link DateTimeFormatter#ISO_INSTANT} formats it. */
    static String format(Instant t) {
        char[] buf = new char[MAX_LENGTH];
        int len = format(t, buf);
        return len < 0 ? DateTimeFormatter.ISO_INSTANT.format(t) : new String(buf, 0, len);
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} from {@code text[off, off+len)}.
     *
     * @return the instant, or {@code null} if the text has any other shape or an invalid field (the caller then uses
     *         the general parser, which either accepts it or reports the error)
     */
    static Instant parse(char[] text, int off, int len) {
        if (len < 20 || len > MAX_LENGTH || text[off + 4] != '-' || text[off + 7] != '-' || text[off + 10] != 'T'
                || text[off + 13] != ':' || text[off + 16] != ':' || text[off + len - 1] != 'Z') {
            return null;
        }
        int year = digits(text, off, 4);
        int month = digits(text, off + 5, 2);
        int day = digits(text, off + 8, 2);
        int hour = digits(text, off + 11, 2);
        int minute = digits(text, off + 14, 2);
        int second = digits(text, off + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        int fractionLength = len - 21; // after the seconds: '.', the digits, 'Z'
        if (len > 20) {
            if (text[off + 19] != '.' || fractionLength < 1 || fractionLength > 9) {
                return null;
            }
            int fraction = digits(text, off + 20, fractionLength);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POW10[9 - fractionLength];
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The value of {@code count} ASCII digits, or -1 if one of them is not a digit. */
    private static int digits(char[] text, int off, int count) {
        int value = 0;
        for (int i = off; i < off + count; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400L);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    private static void put2(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }

    private static void put4(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 1_000);
        out[at + 1] = (char) ('0' + value / 100 % 10);
        out[at + 2] = (char) ('0' + value / 10 % 10);
        out[at + 3] = (char) ('0' + value % 10);
    }
}
