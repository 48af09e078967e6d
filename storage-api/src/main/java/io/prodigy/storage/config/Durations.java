package io.prodigy.storage.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of docs/configuration.md: a number and a unit, optionally several ({@code 500ms},
 * {@code 30s}, {@code 1m}, {@code 1h}, {@code 1m 30s}, {@code 2d}). Units: {@code ms}, {@code s}, {@code m},
 * {@code h}, {@code d}. Whole numbers only; a bare number without a unit is rejected, because {@code 30} could mean
 * seconds or milliseconds.
 */
public final class Durations {

    /** What users may write, for error messages. */
    public static final String SYNTAX = "a duration such as 500ms, 30s, 1m, 1h or 1m 30s";

    /** {@link #SYNTAX} for values that must be above zero. */
    public static final String POSITIVE_SYNTAX = "a positive duration such as 500ms, 30s, 1m, 1h or 1m 30s";

    private static final Pattern PART = Pattern.compile("\\s*(\\d{1,12})\\s*(ms|s|m|h|d)\\s*");

    private Durations() {}

    /**
     * @throws IllegalArgumentException if {@code text} is not in the syntax above
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("'" + text + "' is not " + SYNTAX);
        }
        return total;
    }

    /** Formats in the same syntax, largest units first ({@code 1m 30s}); {@code 0s} for zero. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        append(sb, days, "d");
        append(sb, d.toHoursPart(), "h");
        append(sb, d.toMinutesPart(), "m");
        append(sb, d.toSecondsPart(), "s");
        append(sb, d.toMillisPart(), "ms");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long n, String unit) {
        if (n > 0) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(n).append(unit);
        }
    }
}
