package io.prodigy.storage.dashboard.html;

import io.prodigy.storage.dashboard.view.JobTimeline;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link JobTimeline} as an SVG stacked bar chart on the server: one bar per time bucket, one segment per
 * event type. Every segment carries {@code data-type} and {@code data-count} (and a tooltip), so what it shows can be
 * checked against the store. No script, no library: the page stays small and renders as soon as it arrives.
 */
public final class EventChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 240;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 26;

    /** Distinct colours, assigned to the window's types in sorted order. */
    private static final List<String> PALETTE = List.of(
            "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#d62728");

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private EventChart() {}

    /** The colour of {@code type} among {@code types} (the timeline's sorted list). */
    public static String color(List<String> types, String type) {
        int i = types.indexOf(type);
        return PALETTE.get(Math.floorMod(i < 0 ? type.hashCode() : i, PALETTE.size()));
    }

    /** The chart as a standalone SVG document fragment. */
    public static String svg(JobTimeline t) {
        StringBuilder s = new StringBuilder(8 * 1024);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"event-chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" data-window-events=\"").append(t.windowEvents())
                .append("\"><title>Events over time by type</title>");
        if (t.buckets().isEmpty()) {
            s.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\" class=\"empty\">No events yet</text></svg>");
            return s.toString();
        }
        long max = t.buckets().stream().mapToLong(JobTimeline.Bucket::total).max().orElse(1);
        long top = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4.0;
            s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    LEFT, WIDTH - RIGHT, y, y));
            String label = top * i % 4 == 0 ? Long.toString(top * i / 4)
                    : String.format(Locale.ROOT, "%.1f", top * i / 4.0);
            s.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 6, y + 4, label));
        }
        int n = t.buckets().size();
        double bw = (double) plotW / n;
        double gap = bw > 6 ? 1.5 : 0;
        for (int i = 0; i < n; i++) {
            JobTimeline.Bucket b = t.buckets().get(i);
            double x = LEFT + i * bw;
            double y = TOP + plotH;
            String clock = CLOCK.format(b.start());
            for (String type : t.types()) {
                Long c = b.counts().get(type);
                if (c == null) {
                    continue;
                }
                double h = plotH * (double) c / top;
                y -= h;
                // Appended piece by piece: String.format per bar was most of the chart's cost.
                String escaped = Html.esc(type);
                s.append("<rect class=\"bar\" data-type=\"").append(escaped).append("\" data-count=\"").append(c)
                        .append("\" x=\"");
                decimal(s, x + gap / 2).append("\" y=\"");
                decimal(s, y).append("\" width=\"");
                decimal(s, Math.max(0.5, bw - gap)).append("\" height=\"");
                decimal(s, h).append("\" fill=\"").append(color(t.types(), type)).append("\"><title>")
                        .append(escaped).append(": ").append(c).append(" at ").append(clock).append("</title></rect>");
            }
        }
        for (int i = 0; i < 3; i++) {
            int bucket = i == 0 ? 0 : i == 1 ? n / 2 : n - 1;
            double x = LEFT + bucket * bw + (i == 2 ? bw : 0);
            String anchor = i == 0 ? "start" : i == 1 ? "middle" : "end";
            java.time.Instant at = i == 2 ? t.to() : t.buckets().get(bucket).start();
            s.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    x, HEIGHT - 8, anchor, CLOCK.format(at)));
        }
        s.append("</svg>");
        return s.toString();
    }

    /** Appends {@code v} (not negative) with one decimal. */
    private static StringBuilder decimal(StringBuilder s, double v) {
        long tenths = Math.round(v * 10);
        return s.append(tenths / 10).append('.').append(tenths % 10);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static long niceCeiling(long v) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * p >= v) {
                    return m * p;
                }
            }
            p *= 10;
        }
    }
}
