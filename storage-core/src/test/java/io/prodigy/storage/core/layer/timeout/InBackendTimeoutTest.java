package io.prodigy.storage.core.layer.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.LayeredStorage;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.core.layer.forward.ForwardingSessionStorage;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.error.FailureOutcome;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.file.io.GuardFiles;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.memory.MemoryStorageProvider;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.WrappingStorage;
import io.prodigy.storage.support.deadline.BoundedWaits;
import io.prodigy.storage.support.deadline.CallDeadline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeout layer over a backend that bounds its own waits ({@link BoundedWaits}): calls run on the caller's thread
 * with the deadline set, and a wait inside the backend past the deadline becomes the layer's timeout error. Real
 * backends, real threads and files; no assertion on elapsed time.
 */
class InBackendTimeoutTest {

    @TempDir
    Path dir;

    /** The thread a session load ran on, and the deadline it saw there. */
    private record Seen(Thread thread, long remainingNanos) {}

    /** Wraps a backend and notes where {@code sessions().load} runs; declares {@link BoundedWaits} when asked. */
    private static UnifiedStorage recording(UnifiedStorage backend, boolean boundedWaits, Seen[] seen) {
        ForwardingSessionStorage sessions = new ForwardingSessionStorage(backend.sessions()) {
            @Override
            public Optional<PersistedSession> load(String id) {
                seen[0] = new Seen(Thread.currentThread(), CallDeadline.remainingNanos());
                return super.load(id);
            }
        };
        StoreSet stores = new StoreSet(sessions, backend.events(), backend.checkpoints(), backend.dlq(),
                backend.workflows(), backend.locks());
        return boundedWaits ? new BoundedRecording(backend, stores) : new Recording(backend, stores);
    }

    private static class Recording extends WrappingStorage {
        Recording(UnifiedStorage delegate, StoreSet stores) {
            super(delegate, stores);
        }
    }

    private static final class BoundedRecording extends Recording implements BoundedWaits {
        BoundedRecording(UnifiedStorage delegate, StoreSet stores) {
            super(delegate, stores);
        }
    }

    private static StorageConfig memoryConfig(Duration timeout) {
        return StorageConfig.forBackend("memory").withTimeout(timeout).withRetryPolicy(RetryPolicy.NONE);
    }

    @Test
    void aBackendThatBoundsItsWaitsRunsOnTheCallersThreadWithTheDeadlineSet() {
        Seen[] seen = new Seen[1];
        UnifiedStorage memory = new MemoryStorageProvider().open(StorageConfig.forBackend("memory"),
                StorageContext.system());
        try (UnifiedStorage layered = StorageLayers.decorate(recording(memory, true, seen),
                memoryConfig(Duration.ofSeconds(30)), StorageContext.system())) {
            assertThat(layered.sessions().load("session-1")).isEmpty();

            assertThat(seen[0].thread()).isSameAs(Thread.currentThread());
            assertThat(seen[0].remainingNanos()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30).toNanos());
            assertThat(CallDeadline.remainingNanos()).as("restored after the call").isEqualTo(CallDeadline.NONE);
        }
    }

    @Test
    void anyOtherBackendRunsOnAPoolThreadWithoutADeadline() {
        Seen[] seen = new Seen[1];
        UnifiedStorage memory = new MemoryStorageProvider().open(StorageConfig.forBackend("memory"),
                StorageContext.system());
        try (UnifiedStorage layered = StorageLayers.decorate(recording(memory, false, seen),
                memoryConfig(Duration.ofSeconds(30)), StorageContext.system())) {
            assertThat(layered.sessions().load("session-1")).isEmpty();

            assertThat(seen[0].thread()).isNotSameAs(Thread.currentThread());
            assertThat(seen[0].thread().getName()).startsWith("prodigy-storage-memory-");
            assertThat(seen[0].remainingNanos()).isEqualTo(CallDeadline.NONE);
        }
    }

    @Test
    void aFileWriteWaitingForALockHeldPastTheTimeoutFailsWithTheTimeoutErrorAndChangesNothing() throws Exception {
        StorageConfig config = StorageConfig.forBackend("file").withBackendConfig(Map.of("base_dir", dir.toString()))
                .withTimeout(Duration.ofMillis(200)).withRetryPolicy(RetryPolicy.NONE);
        UnifiedStorage file = new FileStorageProvider().open(config, StorageContext.system());
        Path guard = StorageLayout.guardOf(new StorageLayout(dir).sessionsDir());
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (LayeredStorage layered = StorageLayers.decorate(file, config, StorageContext.system(),
                io.prodigy.storage.core.layer.LayerOptions.DEFAULT)) {
            PersistedSession session = PersistedSession.create("session-held", Instant.now());
            layered.sessions().save(PersistedSession.create("session-first", Instant.now())); // creates sessions/
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holding = holder.submit(() -> {
                try (GuardFiles.Guard g = GuardFiles.acquire(guard, true, false)) {
                    held.countDown();
                    release.await();
                }
                return null;
            });
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> layered.sessions().save(session))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("sessions.save")
                    .hasMessageContaining("did not finish within 200ms (storage.timeout)")
                    .hasRootCauseInstanceOf(CallDeadline.Exceeded.class)
                    .satisfies(e -> assertThat(((StorageUnavailableException) e).outcome())
                            .isEqualTo(FailureOutcome.UNKNOWN));
            assertThat(layered.metrics().of(Operation.SESSIONS_SAVE).timeouts()).isEqualTo(1);
            assertThat(layered.sessions().load(session.id())).as("the wait gave up before writing").isEmpty();

            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
            assertThat(layered.sessions().save(session).revision()).isEqualTo(1);
        } finally {
            holder.shutdownNow();
        }
    }
}
