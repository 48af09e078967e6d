package io.prodigy.storage.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A structured health report (spec 093 {@code HealthStatus}, extended).
 *
 * @param status       healthy, degraded or down
 * @param backendType  the provider name, for example {@code file}
 * @param message      one line for humans; says why when not healthy
 * @param probeLatency how long the backend's probe took
 * @param details      backend details: sizes, layout/schema version, pool usage, circuit state, cache hit rate, …
 *                     Values are strings, numbers or booleans. Never secrets.
 * @param checkedAt    when the probe ran
 */
public record HealthReport(
        HealthStatus status, String backendType, String message, Duration probeLatency, Map<String, Object> details,
        Instant checkedAt) {

    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(backendType, "backendType");
        message = message == null ? "" : message;
        probeLatency = probeLatency == null ? Duration.ZERO : probeLatency;
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    public boolean healthy() {
        return status == HealthStatus.HEALTHY;
    }

    /** A copy with more details and, if {@code worse} is worse than the current status, that status and message. */
    public HealthReport with(Map<String, Object> moreDetails, HealthStatus worse, String why) {
        Map<String, Object> merged = new LinkedHashMap<>(details);
        merged.putAll(moreDetails);
        boolean degrade = worse != null && worse.ordinal() > status.ordinal();
        return new HealthReport(degrade ? worse : status, backendType, degrade ? why : message, probeLatency, merged,
                checkedAt);
    }
}
