package io.prodigy.storage.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.memory.MemoryStorageProvider;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.tck.fault.FaultInjectingStorage;
import io.prodigy.storage.tck.fault.InjectedFault;
import io.prodigy.storage.tck.fault.RecordedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault-injecting decorator of storage-tck, over the memory backend. */
class FaultInjectingStorageTest {

    private final TestClock clock = TestClock.startingNow();
    private final UnifiedStorage memory = new MemoryStorageProvider().open(StorageConfig.forBackend("memory"),
            new StorageContext(clock, null));
    private final List<Duration> slept = new ArrayList<>();
    private final FaultInjectingStorage faulty = FaultInjectingStorage.wrap(memory, d -> {
        slept.add(d);
        clock.advance(d);
    });

    @AfterEach
    void close() {
        faulty.close();
    }

    private static PersistedSession session(String id) {
        return PersistedSession.create(id, TestClock.DEFAULT_START);
    }

    @Test
    void failsOnlyTheNthMatchingCallAndNothingReachesTheBackend() {
        faulty.inject(Fault.on("sessions.save").onCall(2).failUnavailable());

        faulty.sessions().save(session("s-1"));
        assertThatThrownBy(() -> faulty.sessions().save(session("s-2")))
                .isInstanceOf(StorageUnavailableException.class);
        faulty.sessions().save(session("s-3"));

        assertThat(memory.sessions().load("s-2")).isEmpty();
        assertThat(faulty.calls("sessions.save")).extracting(RecordedCall::outcome).containsExactly(
                RecordedCall.Outcome.COMPLETED, RecordedCall.Outcome.INJECTED_FAILURE, RecordedCall.Outcome.COMPLETED);
        assertThat(faulty.appliedCount("sessions.save")).isEqualTo(2);
    }

    @Test
    void failAfterApplyingStoresTheChangeAndStillThrows() {
        faulty.inject(Fault.on("sessions.save").always().failAfterApplying(Fault.LOST_REPLY));

        assertThatThrownBy(() -> faulty.sessions().save(session("s-1")))
                .isInstanceOf(StorageUnavailableException.class);

        assertThat(memory.sessions().load("s-1")).isPresent();
        assertThat(faulty.calls().get(0).applied()).isTrue();
    }

    @Test
    void alwaysFailsUntilRemovedAndCountsItsCalls() {
        InjectedFault outage = faulty.inject(Fault.on("sessions.*").always().failUnavailable());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> faulty.sessions().load("s-1")).isInstanceOf(StorageUnavailableException.class);
        }
        outage.remove();

        assertThat(faulty.sessions().load("s-1")).isEmpty();
        assertThat(outage.timesTriggered()).isEqualTo(3);
        assertThat(faulty.callCount("sessions.load")).isEqualTo(4);
    }

    @Test
    void firstCallsAndFromCallSelectRanges() {
        faulty.inject(Fault.on("dlq.stats").firstCalls(2).failUnavailable());
        faulty.inject(Fault.on("events.listJobs").fromCall(3).failUnavailable());

        assertThatThrownBy(() -> faulty.dlq().stats(io.prodigy.storage.id.JobRef.of("r", "j")))
                .isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> faulty.dlq().stats(io.prodigy.storage.id.JobRef.of("r", "j")))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(faulty.dlq().stats(io.prodigy.storage.id.JobRef.of("r", "j")).totalItems()).isZero();

        faulty.events().listJobs(null);
        faulty.events().listJobs(null);
        assertThatThrownBy(() -> faulty.events().listJobs(null)).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> faulty.events().listJobs(null)).isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void delaysGoThroughTheSleeperAndAddUp() {
        faulty.inject(Fault.on("storage.health").always().delay(Duration.ofSeconds(2)));
        faulty.inject(Fault.on("*").always().delay(Duration.ofSeconds(1)));

        faulty.health();

        assertThat(slept).containsExactly(Duration.ofSeconds(3));
        assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START.plusSeconds(3));
    }

    @Test
    void recordsArgumentsAndBackendFailures() {
        faulty.sessions().save(session("s-1"));
        PersistedSession again = session("s-1");
        assertThatThrownBy(() -> faulty.sessions().save(again)).isInstanceOf(RuntimeException.class);

        RecordedCall second = faulty.calls().get(1);
        assertThat(second.operation()).isEqualTo("sessions.save");
        assertThat(second.outcome()).isEqualTo(RecordedCall.Outcome.BACKEND_FAILED);
        assertThat(second.arguments()).first().isEqualTo(again);
        assertThat(second.applied()).isFalse();

        faulty.clearCalls();
        assertThat(faulty.calls()).isEmpty();
    }

    @Test
    void unknownOperationNamesAreRejected() {
        assertThatThrownBy(() -> Fault.on("sessions.saev")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessions.save");
        assertThatThrownBy(() -> Fault.on("sesions.*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.on("sessions.save").onCall(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearFaultsRemovesEveryFault() {
        faulty.inject(Fault.on("*").always().failUnavailable());
        faulty.clearFaults();

        assertThat(faulty.sessions().load("s-1")).isEmpty();
    }
}
