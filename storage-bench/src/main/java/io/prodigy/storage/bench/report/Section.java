package io.prodigy.storage.bench.report;

/** One part of the report: renders its tables and records its targets. */
interface Section {

    /** Markdown for this section, or an empty string if none of its benchmarks ran. */
    String render(JmhRun jmh, ExtraResults extras, Targets targets);

    /** Latency columns (mean, p50, p99) from the extra metrics, in microseconds. */
    static String[] latencyCells(ExtraResults extras, String benchmark, java.util.Map<String, String> params) {
        return new String[] {
            extras.get(benchmark, params, "latency_mean").map(Estimate::format).orElse("n/a"),
            extras.get(benchmark, params, "latency_p50").map(Estimate::format).orElse("n/a"),
            extras.get(benchmark, params, "latency_p99").map(Estimate::format).orElse("n/a"),
        };
    }
}
