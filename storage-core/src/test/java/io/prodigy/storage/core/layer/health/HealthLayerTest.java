package io.prodigy.storage.core.layer.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.core.layer.LayerOptions;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthLayerTest {

    @Test
    void aHealthyReportKeepsTheBackendsDetailsAndAddsTheLayers() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withCache(true, CacheConfig.DEFAULT))) {
            PersistedSession s = f.storage.sessions().save(PersistedSession.create("session-h",
                    TestClock.DEFAULT_START));
            f.storage.sessions().load(s.id());

            HealthReport report = f.storage.health();

            assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(report.backendType()).isEqualTo("memory");
            assertThat(report.details())
                    .containsKey("entries")
                    .containsEntry("circuit_breaker_state", "closed")
                    .containsEntry("cache_enabled", true)
                    .containsEntry("cache_hit_rate", 1.0)
                    .containsEntry("cache_hits", 1L)
                    .containsEntry("calls_total", 2L)
                    .containsEntry("calls_failed", 0L)
                    .containsEntry("locking_enabled", true)
                    .containsKeys("probe_latency_ms", "slowest_operation", "slowest_operation_p99_ms", "retries",
                            "timeouts", "circuit_rejections", "call_failure_rate");
        }
    }

    @Test
    void aSlowProbeIsDegraded() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config(),
                LayerOptions.DEFAULT.withSlowProbeThreshold(Duration.ofSeconds(1)))) {
            f.faults.inject(Fault.on("storage.health").always().delay(Duration.ofMillis(1500)));

            HealthReport report = f.storage.health();

            assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(report.message()).contains("took 1500ms, more than 1000ms");
            assertThat(report.probeLatency()).isEqualTo(Duration.ofMillis(1500));
            assertThat(report.details()).containsEntry("probe_latency_ms", 1500.0);
        }
    }

    @Test
    void aProbeThatTimesOutIsDown() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(5)))) {
            f.faults.inject(Fault.on("storage.health").always().delay(Duration.ofSeconds(6)));

            HealthReport report = f.storage.health();

            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(report.message()).contains("did not answer within 5s");
            assertThat(report.details()).containsEntry("circuit_breaker_state", "closed");
        }
    }

    @Test
    void aProbeThatThrowsIsDownAndHealthItselfDoesNotThrow() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            f.faults.inject(Fault.on("storage.health").always()
                    .fail(() -> new StorageUnavailableException("connection refused")));

            HealthReport report = f.storage.health();

            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(report.message()).contains("connection refused");
        }
    }

    @Test
    void healthIsNotBlockedByAnOpenCircuit() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withRetryPolicy(RetryPolicy.NONE),
                LayerOptions.DEFAULT.withCircuitBreaker(1, Duration.ofSeconds(30)))) {
            f.faults.inject(Fault.on("sessions.load").onCall(1).failUnavailable());
            try {
                f.storage.sessions().load("x");
            } catch (StorageUnavailableException expected) {
                // opens the circuit
            }

            HealthReport report = f.storage.health();

            assertThat(f.faults.callCount("storage.health")).as("the probe reached the backend").isEqualTo(1);
            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(report.details()).containsEntry("entries", 0L);
        }
    }
}
