package io.prodigy.storage.bench.report;

import java.util.List;
import java.util.Map;

/** Benchmark 3: session and checkpoint save/load, 4 KiB and 1 MiB, file vs SQLite. */
final class RecordSection implements Section {

    private static final String CLASS = "RecordBench";
    private static final List<String> OPS = List.of("sessionSave", "sessionLoad", "checkpointSave", "checkpointLoad");
    private static final List<String> SIZES = List.of("4096", "1048576");

    @Override
    public String render(JmhRun jmh, ExtraResults extras, Targets targets) {
        if (!jmh.has(CLASS)) {
            targets.missing("record save ≥ 0.5× SQLite, loads at least as fast", "RecordBench did not run");
            return "";
        }
        MarkdownTable t = new MarkdownTable("operation", "size", "file (µs)", "SQLite (µs)",
                "file vs SQLite (throughput)", "file p99 µs", "SQLite p99 µs");
        for (String op : OPS) {
            for (String size : SIZES) {
                String method = CLASS + "." + op;
                Estimate file = time(jmh, method, "file", size);
                Estimate sqlite = time(jmh, method, "sqlite", size);
                Estimate ratio = sqlite.divide(file);
                t.row(op, "4096".equals(size) ? "4 KiB" : "1 MiB", file.format(), sqlite.format(),
                        ratio.formatRatio(), p99(extras, method, "file", size),
                        p99(extras, method, "sqlite", size));
                if ("4096".equals(size)) {
                    if (op.endsWith("Save")) {
                        targets.atLeast("record save ≥ 0.5× SQLite (issue 16)", op + ", 4 KiB", ratio, 0.5);
                    } else {
                        targets.atLeast("record load at least as fast as SQLite (issue 16)", op + ", 4 KiB", ratio,
                                1.0);
                    }
                }
            }
        }
        return "## 3. Records: sessions and checkpoints\n\n"
                + "Mean time per call ± 99.9% CI. A save updates the stored record at its current revision and is "
                + "durable on return; a load reads and parses it. Ratio = SQLite time ÷ file time (above 1 = the "
                + "file backend is faster).\n\n" + t.render() + "\n";
    }

    private static Estimate time(JmhRun jmh, String method, String impl, String size) {
        return jmh.find(method, Map.of("impl", impl, "bytes", size)).map(JmhRun.Result::primary)
                .orElse(new Estimate(Double.NaN, Double.NaN));
    }

    private static String p99(ExtraResults extras, String method, String impl, String size) {
        return extras.get(method, Map.of("impl", impl, "bytes", size), "latency_p99").map(Estimate::format)
                .orElse("n/a");
    }
}
