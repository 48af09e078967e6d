package io.prodigy.storage.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The extra metrics the benchmarks wrote ({@code ExtraMetrics}), one JSON object per line. Values recorded once per
 * measurement iteration (their params carry {@code iteration}) are combined into a mean with a 99.9% confidence
 * interval, like JMH's own scores.
 */
public final class ExtraResults {

    private final Map<String, List<Double>> values = new HashMap<>();

    private ExtraResults() {}

    public static ExtraResults read(List<Path> files) throws IOException {
        ExtraResults r = new ExtraResults();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Json.mapper().readTree(line);
                Map<String, String> params = new TreeMap<>();
                n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                params.remove("iteration");
                r.values.computeIfAbsent(key(n.path("benchmark").asText(), params, n.path("name").asText()),
                        k -> new ArrayList<>()).add(n.path("value").asDouble());
            }
        }
        return r;
    }

    /** The metric {@code name} of {@code benchmark} with exactly {@code params}, combined over iterations. */
    public Optional<Estimate> get(String benchmark, Map<String, String> params, String name) {
        List<Double> v = values.get(key(benchmark, new TreeMap<>(params), name));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(Estimate.ofSamples(v));
    }

    /** Every recorded value of the metric, in the order written (one per iteration or round); empty if none. */
    public List<Double> samples(String benchmark, Map<String, String> params, String name) {
        return List.copyOf(values.getOrDefault(key(benchmark, new TreeMap<>(params), name), List.of()));
    }

    /** The largest value of a metric over its iterations (for peaks). */
    public Optional<Double> max(String benchmark, Map<String, String> params, String name) {
        List<Double> v = values.get(key(benchmark, new TreeMap<>(params), name));
        return v == null || v.isEmpty() ? Optional.empty()
                : Optional.of(v.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    private static String key(String benchmark, Map<String, String> params, String name) {
        return benchmark + " " + params + " " + name;
    }
}
