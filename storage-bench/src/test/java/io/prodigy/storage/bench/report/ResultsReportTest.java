package io.prodigy.storage.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReportTest {

    @TempDir
    Path dir;

    private static String appendResult(String impl, double events, double error) {
        return String.format(Locale.ROOT, """
                {"benchmark":"io.prodigy.storage.bench.append.EventAppendBench.threads04","mode":"thrpt","threads":4,
                 "jvm":"/usr/bin/java","jvmArgs":["-Xmx2g"],"params":{"batch":"1","impl":"%s"},
                 "primaryMetric":{"score":%f,"scoreError":%f,"scoreUnit":"ops/s"},
                 "secondaryMetrics":{"events":{"score":%f,"scoreError":%f,"scoreUnit":"ops/s"}}}""",
                impl, events, error, events, error);
    }

    @Test
    void appendCellsGetRatiosAndVerdicts() throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, "[" + String.join(",", appendResult("file", 9000, 100), appendResult("raw", 10000, 0),
                appendResult("rawPrealloc", 12000, 0), appendResult("sqlite", 4000, 0),
                appendResult("memory", 90000, 0)) + "]");
        Path extras = dir.resolve("extras.jsonl");
        Files.writeString(extras, """
                {"benchmark":"EventAppendBench.threads04","params":{"batch":"1","impl":"file","iteration":"1"},"name":"latency_p99","value":400.0,"unit":"us"}
                {"benchmark":"EventAppendBench.threads04","params":{"batch":"1","impl":"file","iteration":"2"},"name":"latency_p99","value":600.0,"unit":"us"}
                """);
        String md = ResultsReport.render(JmhRun.read(List.of(json)), ExtraResults.read(List.of(extras)), null, "cmd");

        assertThat(md).contains("| 4 | 1 | 9,000 ± 100 | 10,000 ± 0 | 12,000 ± 0 | 4,000 ± 0 | 90,000 ± 0 | 0.90 ± 0.01×"
                + " | 0.75 ± 0.01× | 2.25 ± 0.03× |");
        assertThat(md).contains("| durable append ≥ 0.8× preallocated raw writer (issue 16) | 4 threads, batch 1 |"
                + " 0.75 ± 0.01× | **missed** |");
        assertThat(md).contains("| durable append ≥ 0.8× raw FileChannel | 4 threads, batch 1 | 0.90 ± 0.01× | met |");
        assertThat(md).contains("| durable append ≥ 2× SQLite (≥ 4 threads) | 4 threads, batch 1 | 2.25 ± 0.03× | met |");
        // a cell that did not run is reported as missed, never silently dropped
        assertThat(md).contains("| durable append ≥ 0.8× raw FileChannel | 16 threads, batch 100 | not measured |"
                + " **missed** |");
        // p99 of two iterations: mean 500
        assertThat(md).contains("| 4 | 1 | file | 9,000 ± 100 | n/a | n/a | 500 ± ");
        assertThat(md).contains("layer overhead below 5% | - | not measured: LayerOverheadBench did not run");
        assertThat(md).contains("Command: `cmd`");
    }

    @Test
    void layerOverheadIsJudgedOnTheTimeRatio() throws Exception {
        Path json = dir.resolve("jmh.json");
        String template = """
                {"benchmark":"io.prodigy.storage.bench.layer.LayerOverheadBench.sessionLoad","mode":"avgt","threads":1,
                 "params":{"backend":"%s","stack":"%s"},"primaryMetric":{"score":%s,"scoreError":"NaN","scoreUnit":"us/op"},
                 "secondaryMetrics":{}}""";
        Files.writeString(json, "[" + String.join(",", template.formatted("file", "bare", "100.0"),
                template.formatted("file", "layered", "103.0"), template.formatted("memory", "bare", "2.0"),
                template.formatted("memory", "layered", "3.0")) + "]");
        String md = ResultsReport.render(JmhRun.read(List.of(json)), ExtraResults.read(List.of()), null, null);
        assertThat(md).contains("| layer overhead below 5% | sessionLoad, file backend | +3.0% | met |");
        assertThat(md).contains("| layer overhead below 5% | sessionLoad, memory backend | +50.0% | **missed** |");
    }
}
