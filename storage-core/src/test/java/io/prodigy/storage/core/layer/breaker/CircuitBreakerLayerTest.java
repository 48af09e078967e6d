package io.prodigy.storage.core.layer.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.core.layer.LayerOptions;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.tck.fault.InjectedFault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerLayerTest {

    private static final LayerOptions THREE_FAILURES_TEN_SECONDS =
            LayerOptions.DEFAULT.withCircuitBreaker(3, Duration.ofSeconds(10));

    private static LayerFixture fixture() {
        return LayerFixture.with(LayerFixture.config().withRetryPolicy(RetryPolicy.NONE), THREE_FAILURES_TEN_SECONDS);
    }

    private static void failTimes(LayerFixture f, int n) {
        for (int i = 0; i < n; i++) {
            assertThatThrownBy(() -> f.storage.sessions().load("session-x"))
                    .isNotInstanceOf(CircuitOpenException.class);
        }
    }

    @Test
    void opensAfterRepeatedUnavailabilityAndThenFailsFastWithoutCallingTheBackend() {
        try (LayerFixture f = fixture()) {
            f.faults.inject(Fault.on("sessions.load").always().failUnavailable());
            failTimes(f, 3);

            assertThatThrownBy(() -> f.storage.sessions().list(io.prodigy.storage.session.SessionFilter.ALL))
                    .isInstanceOf(CircuitOpenException.class)
                    .hasMessageStartingWith("Storage backend 'memory' is unavailable (circuit open after 3 failures);"
                            + " retrying in 10s")
                    .hasMessageContaining("Injected fault: storage backend unavailable");
            assertThat(f.faults.callCount("sessions.list")).as("failed fast").isZero();
            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.OPEN);
            assertThat(f.storage.metrics().of(Operation.SESSIONS_LIST).rejections()).isEqualTo(1);

            f.time.clock().advance(Duration.ofSeconds(4));
            assertThatThrownBy(() -> f.storage.sessions().load("session-y"))
                    .isInstanceOf(CircuitOpenException.class).hasMessageContaining("retrying in 6s");
        }
    }

    @Test
    void theOpenCircuitShowsInHealthAsDown() {
        try (LayerFixture f = fixture()) {
            f.faults.inject(Fault.on("sessions.load").always().failUnavailable());
            failTimes(f, 3);

            HealthReport report = f.storage.health();

            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(report.message()).startsWith(
                    "Storage backend 'memory' is unavailable (circuit open after 3 failures); retrying in 10s");
            assertThat(report.details()).containsEntry("circuit_breaker_state", "open")
                    .containsEntry("circuit_breaker_failures", 3L)
                    .containsEntry("circuit_breaker_retry_in_ms", 10_000L);
        }
    }

    @Test
    void afterTheDelayAProbeIsLetThroughAndASuccessfulProbeClosesTheCircuit() {
        try (LayerFixture f = fixture()) {
            InjectedFault outage = f.faults.inject(Fault.on("sessions.load").always().failUnavailable());
            failTimes(f, 3);
            f.time.clock().advance(Duration.ofSeconds(10));

            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.HALF_OPEN);
            HealthReport halfOpen = f.storage.health();
            assertThat(halfOpen.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(halfOpen.details()).containsEntry("circuit_breaker_state", "half_open");

            outage.remove();
            assertThat(f.storage.sessions().load("session-x")).isEmpty();

            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.CLOSED);
            assertThat(f.storage.health().status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(f.storage.sessions().load("session-y")).isEmpty();
        }
    }

    @Test
    void aFailedProbeOpensTheCircuitAgainForAnotherDelay() {
        try (LayerFixture f = fixture()) {
            f.faults.inject(Fault.on("sessions.load").always().failUnavailable());
            failTimes(f, 3);
            f.time.clock().advance(Duration.ofSeconds(10));

            assertThatThrownBy(() -> f.storage.sessions().load("session-x"))
                    .as("the probe reaches the backend").isNotInstanceOf(CircuitOpenException.class);
            assertThat(f.faults.callCount("sessions.load")).isEqualTo(4);

            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.OPEN);
            assertThatThrownBy(() -> f.storage.sessions().load("session-x"))
                    .isInstanceOf(CircuitOpenException.class)
                    .hasMessageContaining("(circuit open after 4 failures); retrying in 10s");
        }
    }

    @Test
    void errorsThatProveTheBackendAnswersDoNotOpenTheCircuit() {
        try (LayerFixture f = fixture()) {
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> f.storage.sessions().updateState("session-missing", SessionState.PAUSED))
                        .isInstanceOf(NotFoundException.class);
            }
            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.CLOSED);
        }
    }

    @Test
    void aSuccessBetweenFailuresResetsTheCount() {
        try (LayerFixture f = fixture()) {
            f.faults.inject(Fault.on("sessions.load").always().failUnavailable());
            failTimes(f, 2);
            assertThat(f.storage.sessions().list(io.prodigy.storage.session.SessionFilter.ALL)).isEmpty();
            failTimes(f, 2);

            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.CLOSED);
        }
    }

    @Test
    void aCallCountsAsOneFailureOnlyAfterItsRetriesRanOut() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config(), THREE_FAILURES_TEN_SECONDS)) {
            f.faults.inject(Fault.on("sessions.load").always().failUnavailable());

            failTimes(f, 2);

            assertThat(f.faults.callCount("sessions.load")).as("2 calls x 4 attempts").isEqualTo(8);
            assertThat(f.storage.circuitBreaker().state()).isEqualTo(BreakerState.State.CLOSED);
            assertThat(f.storage.circuitBreaker().failures()).isEqualTo(2);
        }
    }
}
