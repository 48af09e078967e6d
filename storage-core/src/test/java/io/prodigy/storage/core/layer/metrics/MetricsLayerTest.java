package io.prodigy.storage.core.layer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetricsLayerTest {

    private static PersistedSession newSession() {
        return PersistedSession.create("session-" + UUID.randomUUID(), TestClock.DEFAULT_START);
    }

    @Test
    void countsCallsByOperationAndOutcome() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            PersistedSession s = f.storage.sessions().save(newSession());
            f.storage.sessions().load(s.id());
            f.storage.sessions().load("session-missing");
            assertThatThrownBy(() -> f.storage.sessions().save(s.withState(SessionState.PAUSED).withProgress(1, 1)
                    .stored(7, TestClock.DEFAULT_START))).isInstanceOf(VersionConflictException.class);
            assertThatThrownBy(() -> f.storage.sessions().updateState("session-missing", SessionState.PAUSED))
                    .isInstanceOf(NotFoundException.class);

            StorageMetrics m = f.storage.metrics();
            assertThat(m.of(Operation.SESSIONS_LOAD).calls()).isEqualTo(2);
            assertThat(m.of(Operation.SESSIONS_LOAD).failures()).isZero();
            assertThat(m.of(Operation.SESSIONS_SAVE).calls()).isEqualTo(2);
            assertThat(m.of(Operation.SESSIONS_SAVE).count(Outcome.CONFLICT)).isEqualTo(1);
            assertThat(m.of(Operation.SESSIONS_UPDATE_STATE).count(Outcome.NOT_FOUND)).isEqualTo(1);
            assertThat(m.totals().calls()).isEqualTo(5);
            assertThat(m.totals().failures()).isEqualTo(2);
            assertThat(m.snapshot()).extracting(OperationStats::operation)
                    .containsExactly(Operation.SESSIONS_SAVE, Operation.SESSIONS_LOAD, Operation.SESSIONS_UPDATE_STATE);
        }
    }

    @Test
    void latencyIsWhatTheCallerSawIncludingRetries() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            f.faults.inject(Fault.on("sessions.load").onCall(1).failUnavailable());
            f.faults.inject(Fault.on("sessions.load").always().delay(Duration.ofMillis(3)));

            f.storage.sessions().load("session-x");

            OperationMetrics load = f.storage.metrics().of(Operation.SESSIONS_LOAD);
            assertThat(load.calls()).as("one call, two attempts").isEqualTo(1);
            assertThat(load.retries()).isEqualTo(1);
            var latency = load.latency();
            assertThat(latency.count()).isEqualTo(1);
            // 3ms (first attempt) + 1s back-off + 3ms (second attempt), all on the virtual clock
            assertThat(latency.max()).isEqualTo(Duration.ofMillis(1006));
            assertThat(latency.percentile(0.99)).isEqualTo(Duration.ofMillis(1006));
            assertThat(latency.buckets()).singleElement()
                    .satisfies(b -> assertThat(b.upperBound()).isEqualTo(Duration.ofMillis(2500)));
        }
    }

    @Test
    void cacheHitsAreCountedAsCalls() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withCache(true, CacheConfig.DEFAULT))) {
            PersistedSession s = f.storage.sessions().save(newSession());
            f.storage.sessions().load(s.id());
            f.storage.sessions().load(s.id());

            assertThat(f.storage.metrics().of(Operation.SESSIONS_LOAD).calls()).isEqualTo(2);
            assertThat(f.faults.callCount("sessions.load")).isZero();
        }
    }

    @Test
    void timeoutsAndRejectionsAreCounted() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withRetryPolicy(RetryPolicy.NONE)
                .withTimeout(Duration.ofSeconds(1)), io.prodigy.storage.core.layer.LayerOptions.DEFAULT
                .withCircuitBreaker(1, Duration.ofMinutes(1)))) {
            f.faults.inject(Fault.on("sessions.load").always().delay(Duration.ofSeconds(2)));

            assertThatThrownBy(() -> f.storage.sessions().load("a")).hasMessageContaining("did not finish");
            assertThatThrownBy(() -> f.storage.sessions().load("b")).hasMessageContaining("circuit open");

            OperationMetrics load = f.storage.metrics().of(Operation.SESSIONS_LOAD);
            assertThat(load.timeouts()).isEqualTo(1);
            assertThat(load.rejections()).isEqualTo(1);
            assertThat(load.count(Outcome.UNAVAILABLE)).isEqualTo(2);
            assertThat(f.storage.metrics().totals().rejections()).isEqualTo(1);
        }
    }

    @Test
    void histogramPercentilesFollowTheBuckets() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            h.record(Duration.ofMillis(1).toNanos());
        }
        h.record(Duration.ofMillis(40).toNanos());
        h.record(Duration.ofSeconds(90).toNanos());

        var s = h.snapshot();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.percentile(0.5)).isEqualTo(Duration.ofMillis(1));
        assertThat(s.percentile(0.99)).isEqualTo(Duration.ofMillis(50));
        assertThat(s.percentile(1.0)).as("overflow bucket reports the max").isEqualTo(Duration.ofSeconds(90));
        assertThat(s.max()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.total()).isEqualTo(Duration.ofMillis(98 + 40).plusSeconds(90));
        assertThat(new LatencyHistogram().snapshot().percentile(0.99)).isEqualTo(Duration.ZERO);
    }
}
