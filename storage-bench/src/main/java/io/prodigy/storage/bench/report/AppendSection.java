package io.prodigy.storage.bench.report;

import java.util.List;
import java.util.Map;

/**
 * Benchmark 1: durable append throughput, ratios to the raw baselines (appending, and preallocated: the disk's real
 * limit) and to SQLite, latency per call.
 */
final class AppendSection implements Section {

    private static final String CLASS = "EventAppendBench";
    private static final List<Integer> THREADS = List.of(1, 4, 16);
    private static final List<String> BATCHES = List.of("1", "100");
    private static final List<String> IMPLS = List.of("file", "raw", "rawPrealloc", "sqlite", "memory");

    @Override
    public String render(JmhRun jmh, ExtraResults extras, Targets targets) {
        if (!jmh.has(CLASS)) {
            targets.missing("append ≥ 0.8× raw, ≥ 0.8× preallocated raw, > SQLite, ≥ 2× SQLite at ≥ 4 threads",
                    "EventAppendBench did not run");
            return "";
        }
        MarkdownTable tput = new MarkdownTable("threads", "batch", "file (events/s)", "raw FileChannel",
                "raw preallocated", "SQLite", "memory", "file / raw", "file / raw preallocated", "file / SQLite",
                "file / memory");
        MarkdownTable lat = new MarkdownTable("threads", "batch", "impl", "calls/s", "mean µs", "p50 µs", "p99 µs",
                "CPU µs per event");
        for (int threads : THREADS) {
            for (String batch : BATCHES) {
                String method = CLASS + ".threads" + String.format("%02d", threads);
                Estimate file = events(jmh, method, "file", batch);
                Estimate raw = events(jmh, method, "raw", batch);
                Estimate rawPrealloc = events(jmh, method, "rawPrealloc", batch);
                Estimate sqlite = events(jmh, method, "sqlite", batch);
                Estimate memory = events(jmh, method, "memory", batch);
                Estimate toRaw = file.divide(raw);
                Estimate toRawPrealloc = file.divide(rawPrealloc);
                Estimate toSqlite = file.divide(sqlite);
                tput.row(Integer.toString(threads), batch, file.format(), raw.format(), rawPrealloc.format(),
                        sqlite.format(), memory.format(), toRaw.formatRatio(), toRawPrealloc.formatRatio(),
                        toSqlite.formatRatio(), file.divide(memory).formatRatio());
                String cell = threads + " thread" + (threads > 1 ? "s" : "") + ", batch " + batch;
                targets.atLeast("durable append ≥ 0.8× raw FileChannel", cell, toRaw, 0.8);
                targets.atLeast("durable append ≥ 0.8× preallocated raw writer (issue 16)", cell, toRawPrealloc, 0.8);
                targets.above("durable append ahead of SQLite", cell, toSqlite, 1.0);
                if (threads >= 4) {
                    targets.atLeast("durable append ≥ 2× SQLite (≥ 4 threads)", cell, toSqlite, 2.0);
                }
                for (String impl : IMPLS) {
                    Map<String, String> params = Map.of("impl", impl, "batch", batch);
                    String calls = jmh.find(method, params).map(r -> r.primary().format()).orElse("n/a");
                    String[] l = Section.latencyCells(extras, method, params);
                    String cpu = extras.get(method, params, "cpu_per_event").map(Estimate::format).orElse("n/a");
                    lat.row(Integer.toString(threads), batch, impl, calls, l[0], l[1], l[2], cpu);
                }
            }
        }
        StringBuilder sb = new StringBuilder("## 1. Durable event append\n\n");
        sb.append("Events per second (all threads, one job), mean ± 99.9% confidence interval; ratios are file ÷ "
                + "baseline.\n\n").append(tput.render()).append('\n');
        extras.get("append", Map.of("impl", "file"), "stored_bytes_per_event").ifPresent(b ->
                sb.append("File backend: ").append(b.format()).append(" bytes on disk per event (segments and indexes"
                        + " included).\n\n"));
        sb.append("Latency of one append call (µs) and process CPU time per appended event (all threads, GC"
                + " included; 2 cores give at most 2 s of CPU per second):\n\n").append(lat.render())
                .append('\n');
        return sb.toString();
    }

    private static Estimate events(JmhRun jmh, String method, String impl, String batch) {
        return jmh.find(method, Map.of("impl", impl, "batch", batch))
                .map(r -> r.secondary().getOrDefault("events", r.primary().times(Double.parseDouble(batch))))
                .orElse(new Estimate(Double.NaN, Double.NaN));
    }
}
