package io.prodigy.storage.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Benchmark 2: full scan, 1% time range and aggregate; bytes read; heap while streaming under -Xmx64m. */
final class QuerySection implements Section {

    private static final String CLASS = "EventQueryBench";
    private static final String HEAP = "QueryHeapBench.streamAll";
    private static final List<String> QUERIES = List.of("fullScan", "timeRange", "aggregate");
    private static final List<String> IMPLS = List.of("file", "sqlite", "jsonl");
    private static final double MIB = 1024.0 * 1024.0;

    @Override
    public String render(JmhRun jmh, ExtraResults extras, Targets targets) {
        StringBuilder sb = new StringBuilder();
        if (jmh.has(CLASS)) {
            renderQueries(jmh, extras, targets, sb);
        } else {
            targets.missing("full scan ≥ 0.7× raw Jackson; time range reads < 10% of the bytes",
                    "EventQueryBench did not run");
        }
        if (jmh.has("QueryHeapBench")) {
            renderHeap(jmh, extras, targets, sb);
        } else {
            targets.missing("1M-event stream fits in a 64 MB heap", "QueryHeapBench did not run");
        }
        return sb.toString();
    }

    private static void renderQueries(JmhRun jmh, ExtraResults extras, Targets targets, StringBuilder sb) {
        String events = jmh.results().stream().filter(r -> r.name().startsWith(CLASS + "."))
                .map(r -> r.params().get("events")).findFirst().orElse("?");
        MarkdownTable t = new MarkdownTable("query", "file (ms)", "SQLite (ms)", "raw Jackson (ms)",
                "file events/s", "file vs raw Jackson (throughput)", "file vs SQLite (throughput)");
        MarkdownTable bytes = new MarkdownTable("query", "impl", "bytes read per query", "bytes stored",
                "read / stored");
        for (String q : QUERIES) {
            String method = CLASS + "." + q;
            Estimate file = time(jmh, method, "file", events);
            Estimate sqlite = time(jmh, method, "sqlite", events);
            Estimate jsonl = time(jmh, method, "jsonl", events);
            String rate = "fullScan".equals(q) && !Double.isNaN(file.value())
                    ? file.reciprocal().times(1000.0 * Double.parseDouble(events)).format() : "";
            // Throughput ratio = inverse time ratio: how fast the file backend answers relative to the baseline.
            Estimate vsJsonl = jsonl.divide(file);
            Estimate vsSqlite = sqlite.divide(file);
            t.row(q, file.format(), sqlite.format(), jsonl.format(), rate, vsJsonl.formatRatio(),
                    vsSqlite.formatRatio());
            if ("fullScan".equals(q)) {
                targets.atLeast("full scan ≥ 0.7× raw Jackson parse", events + " events", vsJsonl, 0.7);
            }
            if ("timeRange".equals(q)) {
                targets.above("time-range query faster than SQLite (issue 16)", "1% window of " + events
                        + " events", vsSqlite, 1.0);
            }
            for (String impl : IMPLS) {
                Map<String, String> params = Map.of("impl", impl, "events", events);
                Optional<Estimate> read = extras.get(method, params, "bytes_read_per_query");
                Optional<Estimate> stored = extras.get(method, params, "stored_bytes");
                if (read.isPresent() && stored.isPresent()) {
                    double share = read.get().value() / stored.get().value();
                    bytes.row(q, impl, mib(read.get().value()), mib(stored.get().value()), percent(share));
                    if ("timeRange".equals(q) && "file".equals(impl)) {
                        targets.check("time-range query reads well under 10% of the file bytes", "1% window of "
                                + events + " events", percent(share), share < 0.10);
                    }
                }
            }
        }
        sb.append("## 2. Event query\n\n").append("One job of ").append(events).append(" events (256-byte lines). "
                + "Mean time per query ± 99.9% CI; throughput ratios are baseline time ÷ file time (above 1 = the "
                + "file backend is faster).\n\n").append(t.render()).append('\n');
        if (!bytes.isEmpty()) {
            sb.append("Bytes each query read (the process's `rchar` counter around one query, page-cache hits "
                    + "included) against the size of what it reads from:\n\n").append(bytes.render()).append('\n');
        }
    }

    private static void renderHeap(JmhRun jmh, ExtraResults extras, Targets targets, StringBuilder sb) {
        MarkdownTable t = new MarkdownTable("impl", "events", "stream time (ms)", "heap limit", "peak heap used",
                "max live after GC", "GCs per stream");
        for (String impl : IMPLS) {
            for (JmhRun.Result r : jmh.results()) {
                if (!r.name().equals(HEAP) || !impl.equals(r.params().get("impl"))) {
                    continue;
                }
                Map<String, String> p = r.params();
                String limit = extras.max(HEAP, p, "heap_max").map(QuerySection::mib).orElse("n/a");
                String peak = extras.max(HEAP, p, "heap_peak_used").map(QuerySection::mib).orElse("n/a");
                Optional<Double> live = extras.max(HEAP, p, "heap_max_live_after_gc");
                String gcs = extras.get(HEAP, p, "gc_count").map(Estimate::format).orElse("n/a");
                t.row(impl, p.get("events"), r.primary().format(), limit, peak, live.map(QuerySection::mib)
                        .orElse("n/a"), gcs);
                if ("file".equals(impl)) {
                    boolean bounded = extras.max(HEAP, p, "heap_max").map(m -> m <= 64 * MIB).orElse(false);
                    targets.check("the 1M-event stream fits in a 64 MB heap", p.get("events") + " events, file backend",
                            "completed with -Xmx" + limit + ", max live " + live.map(QuerySection::mib).orElse("n/a"),
                            bounded && !Double.isNaN(r.primary().value()));
                }
            }
        }
        sb.append("Streaming the whole job in a JVM started with `-Xms64m -Xmx64m` (a run that kept the result in "
                + "memory would fail with OutOfMemoryError):\n\n").append(t.render()).append('\n');
    }

    private static Estimate time(JmhRun jmh, String method, String impl, String events) {
        return jmh.find(method, Map.of("impl", impl, "events", events)).map(JmhRun.Result::primary)
                .orElse(new Estimate(Double.NaN, Double.NaN));
    }

    static String mib(double bytes) {
        return bytes >= MIB ? String.format(Locale.ROOT, "%.1f MiB", bytes / MIB)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }
}
