package io.prodigy.storage.core.layer.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.FailureOutcome;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RetryLayerTest {

    private static PersistedSession newSession() {
        return PersistedSession.create("session-" + UUID.randomUUID(), TestClock.DEFAULT_START);
    }

    private static NewEvent event() {
        return new NewEvent("event-" + UUID.randomUUID(), null, "agent_started", Json.nodes().objectNode(), null,
                null);
    }

    @Test
    void retriesFollowTheConfiguredScheduleOneTwoFourSeconds() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            f.faults.inject(Fault.on("sessions.save").firstCalls(3).failUnavailable());

            PersistedSession saved = f.storage.sessions().save(newSession());

            assertThat(saved.revision()).isEqualTo(1);
            assertThat(f.time.retrySleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                    Duration.ofSeconds(4));
            assertThat(f.faults.callCount("sessions.save")).isEqualTo(4);
            assertThat(f.storage.metrics().of(Operation.SESSIONS_SAVE).retries()).isEqualTo(3);
        }
    }

    @Test
    void delaysAreCappedAtMaxDelayAndTheLastErrorIsThrownWhenRetriesRunOut() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(3), 2.0, false);
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withRetryPolicy(policy))) {
            f.faults.inject(Fault.on("sessions.load").always()
                    .fail(() -> new StorageUnavailableException("connection refused")));

            assertThatThrownBy(() -> f.storage.sessions().load("session-x"))
                    .isInstanceOf(StorageUnavailableException.class).hasMessage("connection refused");
            assertThat(f.time.retrySleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                    Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3));
            assertThat(f.faults.callCount("sessions.load")).isEqualTo(6);
        }
    }

    @Test
    void jitterDrawsEachDelayFromHalfToFullDelay() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, true);

        BackoffSchedule lowest = new BackoffSchedule(policy, () -> 0.0);
        BackoffSchedule middle = new BackoffSchedule(policy, () -> 0.5);
        BackoffSchedule highest = new BackoffSchedule(policy, () -> Math.nextDown(1.0));

        assertThat(List.of(lowest.delayBefore(1), lowest.delayBefore(2), lowest.delayBefore(3)))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(middle.delayBefore(3)).isEqualTo(Duration.ofSeconds(3));
        assertThat(highest.delayBefore(3)).isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4));
    }

    @Test
    void jitterIsAppliedThroughTheLayer() {
        RetryPolicy policy = new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(30), 2.0, true);
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withRetryPolicy(policy),
                io.prodigy.storage.core.layer.LayerOptions.DEFAULT.withJitterRandom(() -> 0.25))) {
            f.faults.inject(Fault.on("sessions.load").firstCalls(2).failUnavailable());

            f.storage.sessions().load("session-x");

            // [d/2, d]: 1s + 0.25 * 1s, then 2s + 0.25 * 2s
            assertThat(f.time.retrySleeps()).containsExactly(Duration.ofMillis(1250), Duration.ofMillis(2500));
        }
    }

    static Stream<Arguments> nonRetryableErrors() {
        return Stream.of(
                Arguments.of("version conflict",
                        (Supplier<RuntimeException>) () -> new VersionConflictException("session", "s", 1, 2)),
                Arguments.of("not found", (Supplier<RuntimeException>) () -> new NotFoundException("session", "s")),
                Arguments.of("invalid input", (Supplier<RuntimeException>) () -> new InvalidInputException("bad")),
                Arguments.of("a bug", (Supplier<RuntimeException>) () -> new IllegalStateException("bug")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonRetryableErrors")
    void nonRetryableErrorsAreThrownAtOnce(String name, Supplier<RuntimeException> error) {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            f.faults.inject(Fault.on("sessions.save").always().fail(error));

            assertThatThrownBy(() -> f.storage.sessions().save(newSession()))
                    .isInstanceOf(error.get().getClass());
            assertThat(f.faults.callCount("sessions.save")).isEqualTo(1);
            assertThat(f.time.retrySleeps()).isEmpty();
        }
    }

    @Test
    void appendIsNotRetriedWhenTheBackendCannotDeduplicate() {
        try (LayerFixture f = LayerFixture.withoutIdempotentAppend(LayerFixture.config())) {
            JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());
            f.faults.inject(Fault.on("events.append").onCall(1).failAfterApplying(Fault.LOST_REPLY));

            assertThatThrownBy(() -> f.storage.events().append(job, List.of(event())))
                    .isInstanceOf(StorageUnavailableException.class);

            assertThat(f.faults.callCount("events.append")).isEqualTo(1);
            assertThat(f.memory.events().lastSequence(job)).as("applied once, never re-sent").isEqualTo(1);
        }
    }

    @Test
    void appendIsRetriedWithIdempotentAppendAndStoredOnlyOnce() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());
            f.faults.inject(Fault.on("events.append").onCall(1).failAfterApplying(Fault.LOST_REPLY));

            f.storage.events().append(job, List.of(event(), event()));

            assertThat(f.faults.appliedCount("events.append")).as("re-sent after the lost answer").isEqualTo(2);
            try (Stream<?> events = f.memory.events().query(EventFilter.forJob(job))) {
                assertThat(events.count()).as("the backend dropped the re-sent events by id").isEqualTo(2);
            }
        }
    }

    @Test
    void aRetriedCreateThatWasAppliedReturnsItsOwnWriteNotADuplicate() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            PersistedSession session = newSession();
            f.faults.inject(Fault.on("sessions.save").onCall(1).failAfterApplying(Fault.LOST_REPLY));

            PersistedSession saved = f.storage.sessions().save(session);

            assertThat(saved.revision()).as("the retry recognised its own write").isEqualTo(1);
            assertThat(f.memory.sessions().load(session.id())).hasValueSatisfying(
                    s -> assertThat(s).as("stored once").isEqualTo(saved));
        }
    }

    @Test
    void operationsThatAreNotIdempotentAreNotRepeatedAfterAnUnknownOutcome() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            f.faults.inject(Fault.on("locks.tryAcquire").onCall(1).failAfterApplying(Fault.LOST_REPLY));

            assertThatThrownBy(() -> f.storage.locks().tryAcquire("lock-a", Duration.ofMinutes(1)))
                    .isInstanceOf(StorageUnavailableException.class)
                    .satisfies(e -> assertThat(((StorageUnavailableException) e).outcome())
                            .isEqualTo(FailureOutcome.UNKNOWN));

            assertThat(f.faults.callCount("locks.tryAcquire")).as("not repeated: it may hold the lock").isEqualTo(1);
            assertThat(f.memory.locks().current("lock-a")).as("the lost grant stands").isPresent();
        }
    }

    @Test
    void anyOperationIsRepeatedWhenTheFailedAttemptWasNotApplied() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());
            f.faults.inject(Fault.on("locks.tryAcquire").onCall(1).failUnavailable());
            f.faults.inject(Fault.on("dlq.claim").onCall(1).failUnavailable());
            f.memory.dlq().add(job, DlqFailure.of("item-1", null, "boom"));

            assertThat(f.storage.locks().tryAcquire("lock-a", Duration.ofMinutes(1))).isPresent();
            assertThat(f.storage.dlq().claim(job, "worker", 5, Duration.ofMinutes(1))).hasSize(1);

            assertThat(f.faults.callCount("locks.tryAcquire")).isEqualTo(2);
            assertThat(f.faults.callCount("dlq.claim")).isEqualTo(2);
        }
    }

    @Test
    void zeroMaxRetriesDisablesRetrying() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withRetryPolicy(RetryPolicy.NONE))) {
            f.faults.inject(Fault.on("sessions.load").onCall(1).failUnavailable());

            assertThatThrownBy(() -> f.storage.sessions().load("session-x"))
                    .isInstanceOf(StorageUnavailableException.class);
            assertThat(f.faults.callCount("sessions.load")).isEqualTo(1);
        }
    }

    @Test
    void anInterruptDuringTheWaitStopsRetryingAndKeepsTheFlag() {
        RetryInterceptor retry = new RetryInterceptor(new BackoffSchedule(LayerFixture.NO_JITTER, () -> 0),
                java.util.Set.of(), d -> {
                    throw new InterruptedException("stop");
                }, new io.prodigy.storage.core.layer.metrics.StorageMetrics());
        int[] attempts = {0};
        try {
            assertThatThrownBy(() -> retry.intercept(Operation.SESSIONS_LOAD,
                    io.prodigy.storage.core.layer.intercept.Invocation.of(() -> {
                        attempts[0]++;
                        throw new StorageUnavailableException("down");
                    })))
                    .isInstanceOf(StorageUnavailableException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
            assertThat(attempts[0]).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
