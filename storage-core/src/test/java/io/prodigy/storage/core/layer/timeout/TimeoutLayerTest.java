package io.prodigy.storage.core.layer.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeoutLayerTest {

    private static PersistedSession newSession() {
        return PersistedSession.create("session-" + UUID.randomUUID(), TestClock.DEFAULT_START);
    }

    @Test
    void aCallSlowerThanTheTimeoutFailsWithARetryableUnavailableError() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(30))
                .withRetryPolicy(RetryPolicy.NONE))) {
            f.faults.inject(Fault.on("sessions.list").onCall(1).delay(Duration.ofSeconds(31)));

            assertThatThrownBy(() -> f.storage.sessions().list(io.prodigy.storage.session.SessionFilter.ALL))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("sessions.list")
                    .hasMessageContaining("did not finish within 30s (storage.timeout)")
                    .satisfies(e -> assertThat(((StorageUnavailableException) e).isRetryable()).isTrue());
            assertThat(f.storage.metrics().of(Operation.SESSIONS_LIST).timeouts()).isEqualTo(1);
        }
    }

    @Test
    void aCallWithinTheTimeoutSucceeds() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(30)))) {
            f.faults.inject(Fault.on("sessions.load").always().delay(Duration.ofSeconds(29)));

            assertThat(f.storage.sessions().load("session-x")).isEmpty();
            assertThat(f.storage.metrics().of(Operation.SESSIONS_LOAD).timeouts()).isZero();
        }
    }

    @Test
    void aTimedOutReadIsRetriedAndCanSucceed() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(5)))) {
            f.faults.inject(Fault.on("sessions.load").firstCalls(2).delay(Duration.ofSeconds(6)));

            assertThat(f.storage.sessions().load("session-x")).isEmpty();
            assertThat(f.faults.callCount("sessions.load")).isEqualTo(3);
            assertThat(f.time.retrySleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void aTimedOutCreateThatCompletedInTheBackgroundIsNotAppliedTwice() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(5)))) {
            PersistedSession session = newSession();
            f.faults.inject(Fault.on("sessions.save").onCall(1).delay(Duration.ofSeconds(6)));

            assertThat(f.storage.sessions().save(session).revision())
                    .as("the retry finds the record the timed-out attempt stored, and it is its own write")
                    .isEqualTo(1);
            assertThat(f.faults.appliedCount("sessions.save")).isEqualTo(2);
            assertThat(f.memory.sessions().load(session.id()).orElseThrow().revision()).isEqualTo(1);
        }
    }

    @Test
    void aBlockingLockAcquireGetsItsMaxWaitOnTopOfTheTimeout() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(30))
                .withRetryPolicy(RetryPolicy.NONE))) {
            f.faults.inject(Fault.on("locks.acquire").always().delay(Duration.ofSeconds(45)));

            LockLease lease = f.storage.locks().acquire("lock-" + UUID.randomUUID(), Duration.ofMinutes(5),
                    Duration.ofSeconds(20));
            assertThat(lease.fencingToken()).isPositive();

            assertThatThrownBy(() -> f.storage.locks().acquire("lock-" + UUID.randomUUID(), Duration.ofMinutes(5),
                    Duration.ofSeconds(10)))
                    .as("45s is more than 30s + 10s").isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("within 40s");
        }
    }

    @Test
    void subscriptionsAreNotBoundedByTheTimeout() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withTimeout(Duration.ofSeconds(1)))) {
            f.faults.inject(Fault.on("events.subscribe").always().delay(Duration.ofSeconds(5)));
            JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());

            try (EventSubscription s = f.storage.events().subscribe(EventFilter.forJob(job), 0, e -> { })) {
                assertThat(s.isActive()).isTrue();
            }
        }
    }
}
