package io.prodigy.storage.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The results of one or more JMH runs ({@code -rf json} files), indexed for the report. */
public final class JmhRun {

    /**
     * One benchmark configuration's result.
     *
     * @param name      {@code Class.method}
     * @param threads   benchmark threads
     * @param mode      JMH mode ({@code thrpt}, {@code avgt}, {@code ss}, …)
     * @param params    {@code @Param} values
     * @param primary   the primary score
     * @param unit      its unit
     * @param secondary secondary scores by name (aux counters)
     * @param jvm       the JVM that ran it
     * @param jvmArgs   its arguments
     */
    public record Result(String name, int threads, String mode, Map<String, String> params, Estimate primary,
            String unit, Map<String, Estimate> secondary, String jvm, List<String> jvmArgs) {

        boolean matches(String wantedName, Map<String, String> wantedParams) {
            if (!name.equals(wantedName)) {
                return false;
            }
            for (var e : wantedParams.entrySet()) {
                if (!e.getValue().equals(params.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Result> results;

    private JmhRun(List<Result> results) {
        this.results = List.copyOf(results);
    }

    /** Reads JMH's JSON result files (missing files are skipped: a partial suite still gets a report). */
    public static JmhRun read(List<Path> files) throws IOException {
        List<Result> all = new ArrayList<>();
        for (Path f : files) {
            if (!f.toFile().isFile()) {
                continue;
            }
            for (JsonNode n : Json.mapper().readTree(f.toFile())) {
                all.add(parse(n));
            }
        }
        return new JmhRun(all);
    }

    private static Result parse(JsonNode n) {
        String full = n.path("benchmark").asText();
        int method = full.lastIndexOf('.');
        int cls = full.lastIndexOf('.', method - 1);
        Map<String, String> params = new TreeMap<>();
        n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        Map<String, Estimate> secondary = new TreeMap<>();
        n.path("secondaryMetrics").fields().forEachRemaining(e -> secondary.put(e.getKey(), estimate(e.getValue())));
        List<String> args = new ArrayList<>();
        n.path("jvmArgs").forEach(a -> args.add(a.asText()));
        JsonNode pm = n.path("primaryMetric");
        return new Result(full.substring(cls + 1), n.path("threads").asInt(), n.path("mode").asText(), params,
                estimate(pm), pm.path("scoreUnit").asText(), secondary, n.path("jvm").asText(), args);
    }

    private static Estimate estimate(JsonNode metric) {
        return new Estimate(number(metric.path("score")), number(metric.path("scoreError")));
    }

    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText()); // JMH writes "NaN" as a string
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public List<Result> results() {
        return results;
    }

    public boolean isEmpty() {
        return results.isEmpty();
    }

    /** The result of {@code name} ({@code Class.method}) whose params include {@code params}. */
    public Optional<Result> find(String name, Map<String, String> params) {
        return results.stream().filter(r -> r.matches(name, params)).findFirst();
    }

    /** Whether any result of the class {@code simpleClassName} is present. */
    public boolean has(String simpleClassName) {
        return results.stream().anyMatch(r -> r.name().startsWith(simpleClassName + "."));
    }
}
