package io.prodigy.storage.dashboard.text;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Text formatting shared by the CLI's commands and the dashboard's pages: times in UTC, byte sizes, durations and
 * relative ages.
 */
public final class Formats {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ISO_INSTANT;

    private Formats() {}

    /** ISO-8601 UTC with second precision, for example {@code 2026-11-21T23:45:01Z}; "-" for none. */
    public static String time(Instant t) {
        return t == null ? "-" : SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** ISO-8601 UTC with millisecond precision (event listings, where order within a second matters). */
    public static String preciseTime(Instant t) {
        return t == null ? "-" : SECONDS.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code 1.5 KB}, {@code 12.0 MB}; bytes below 1 KB as {@code 512 B}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A short human duration: {@code 850ms}, {@code 3.2s}, {@code 4m 05s}, {@code 2h 10m}. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (d.toHours() < 1) {
            return String.format(Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        if (d.toDays() < 1) {
            return String.format(Locale.ROOT, "%dh %02dm", d.toHours(), d.toMinutesPart());
        }
        return String.format(Locale.ROOT, "%dd %02dh", d.toDays(), d.toHoursPart());
    }

    /** How long ago {@code t} was, relative to {@code now}: {@code 3m ago}, {@code in 20s} for the future. */
    public static String age(Instant t, Instant now) {
        if (t == null) {
            return "-";
        }
        Duration d = Duration.between(t, now);
        return d.isNegative() ? "in " + duration(d.negated()) : duration(d) + " ago";
    }

    /** Cuts {@code text} to {@code max} characters with an ellipsis, and flattens line breaks. */
    /**
     * {@code text} safe to print on a terminal: control characters (C0, DEL, C1 such as CSI), line and paragraph
     * separators and invisible format characters (bidirectional overrides, zero-width joiners) become {@code \\uXXXX},
     * so stored data can neither move the cursor, clear the screen, retitle the terminal nor reorder what is shown.
     * {@code keepLines} leaves {@code \\n} and {@code \\t} alone (for text this tool composed itself). JSON output is
     * never passed through this: it stays exact.
     */
    public static String printable(String text, boolean keepLines) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = (Character.isISOControl(c) && !(keepLines && (c == '\n' || c == '\t')))
                    || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT;
            if (unsafe && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (unsafe) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** {@link #printable(String, boolean)} for one value (no line breaks kept). */
    public static String printable(String text) {
        return printable(text, false);
    }

    public static String abbreviate(String text, int max) {
        if (text == null) {
            return "-";
        }
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() <= max ? flat : flat.substring(0, Math.max(0, max - 3)) + "...";
    }

    /** {@code 1 item}, {@code 3 items}: a count with its noun in singular or plural. */
    public static String plural(long n, String singular, String plural) {
        return count(n) + " " + (n == 1 ? singular : plural);
    }

    /** Thousands separators: {@code 12,345}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
