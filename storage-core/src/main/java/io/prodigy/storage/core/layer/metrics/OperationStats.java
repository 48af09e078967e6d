package io.prodigy.storage.core.layer.metrics;

import io.prodigy.storage.core.layer.intercept.Operation;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One operation's figures at a point in time.
 *
 * @param outcomes   calls by outcome (outcomes with no calls are left out)
 * @param retries    retry attempts made
 * @param timeouts   attempts cut off by the timeout
 * @param rejections calls failed fast by the open circuit breaker
 * @param latency    latency of whole calls (including retries), as the caller saw them
 */
public record OperationStats(
        Operation operation, Map<Outcome, Long> outcomes, long retries, long timeouts, long rejections,
        LatencyHistogram.Snapshot latency) {

    public OperationStats {
        outcomes = outcomes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(outcomes));
    }

    public long calls() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    public long failures() {
        return calls() - outcomes.getOrDefault(Outcome.SUCCESS, 0L);
    }
}
