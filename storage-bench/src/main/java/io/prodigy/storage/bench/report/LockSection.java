package io.prodigy.storage.bench.report;

import java.util.List;
import java.util.Map;

/** Benchmark 4: acquire + release, uncontended and with four contending threads. */
final class LockSection implements Section {

    private static final String CLASS = "LockBench";

    @Override
    public String render(JmhRun jmh, ExtraResults extras, Targets targets) {
        if (!jmh.has(CLASS)) {
            targets.missing("file lock acquire + release ≥ 1,000/s, 1 thread (issue 16)", "LockBench did not run");
            return "";
        }
        MarkdownTable t = new MarkdownTable("scenario", "impl", "acquire+release /s", "mean µs", "p50 µs", "p99 µs");
        for (String scenario : List.of("uncontended", "contended4")) {
            for (String impl : List.of("file", "memory")) {
                String method = CLASS + "." + scenario;
                Map<String, String> params = Map.of("impl", impl);
                String rate = jmh.find(method, params).map(r -> r.primary().format()).orElse("n/a");
                String[] l = Section.latencyCells(extras, method, params);
                t.row("uncontended".equals(scenario) ? "1 thread, own key" : "4 threads, one key", impl, rate,
                        l[0], l[1], l[2]);
            }
        }
        Estimate pairs = jmh.find(CLASS + ".uncontended", Map.of("impl", "file")).map(JmhRun.Result::primary)
                .orElse(new Estimate(Double.NaN, Double.NaN));
        String disk = jmh.find("MachineBench.fsyncOverwrite", Map.of())
                .map(r -> " (disk: " + r.primary().format() + " overwrite + fdatasync /s)").orElse("");
        if (Double.isNaN(pairs.value())) {
            targets.missing("file lock acquire + release ≥ 1,000/s, 1 thread (issue 16)", "no result");
        } else {
            targets.check("file lock acquire + release ≥ 1,000/s, 1 thread (issue 16)", "1 thread, own key" + disk,
                    pairs.format() + "/s", pairs.value() >= 1000);
        }
        return "## 4. Locks\n\nAcquire + release pairs per second (all threads) ± 99.9% CI; latency of one pair "
                + "(with contention it includes the wait).\n\n" + t.render() + "\n";
    }
}
