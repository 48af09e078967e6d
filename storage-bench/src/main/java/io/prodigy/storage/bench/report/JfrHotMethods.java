package io.prodigy.storage.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes where a profiled benchmark spent its CPU: the share of JFR execution samples in which a method was on
 * the stack (inclusive), for the methods matching a filter. This is the evidence docs/perf.md gives for a missed
 * target; {@code bench/profile.sh} runs the profiles and calls it.
 *
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.report.JfrHotMethods profile.jfr [regex] [top]</pre>
 */
public final class JfrHotMethods {

    private JfrHotMethods() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: JfrHotMethods FILE.jfr [method-regex] [top]");
        }
        Pattern filter = Pattern.compile(args.length > 1 ? args[1] : ".");
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        System.out.print(render(Path.of(args[0]), filter, top));
    }

    /** A Markdown table of the {@code top} methods matching {@code filter} by inclusive share of samples. */
    public static String render(Path jfr, Pattern filter, int top) throws IOException {
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!"jdk.ExecutionSample".equals(e.getEventType().getName()) || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
        }
        int total = samples;
        MarkdownTable t = new MarkdownTable("method", "on stack (inclusive)", "top of stack (self)");
        inclusive.entrySet().stream()
                .filter(en -> filter.matcher(en.getKey()).find())
                .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .limit(top)
                .forEach(en -> t.row("`" + en.getKey() + "`", percent(en.getValue(), total),
                        percent(self.getOrDefault(en.getKey(), 0), total)));
        return total + " CPU samples in " + jfr.getFileName() + "\n\n" + t.render();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String percent(int n, int total) {
        return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / total);
    }
}
