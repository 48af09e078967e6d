package io.prodigy.storage.async;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The asynchronous view of a {@link UnifiedStorage} (spec 093 asks for both): every operation runs on the given
 * executor and completes a {@link CompletableFuture}. Written once here, over the synchronous API, so that every
 * backend gets it and its semantics are exactly those of the synchronous call.
 *
 * <p>{@link #call} runs any operation; the typed methods are shortcuts for the common ones. A failure completes the
 * future exceptionally with the {@link io.prodigy.storage.error.StorageException} the synchronous call threw
 * (wrapped in a {@link java.util.concurrent.CompletionException} by {@code join}).
 *
 * <p>Pick an executor sized for blocking I/O (the calls block a thread while they run); the default-constructed view
 * is not offered on purpose, so that nothing runs on the common fork-join pool by accident.
 */
public final class AsyncStorage {

    private final UnifiedStorage storage;
    private final Executor executor;

    private AsyncStorage(UnifiedStorage storage, Executor executor) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    public static AsyncStorage over(UnifiedStorage storage, Executor executor) {
        return new AsyncStorage(storage, executor);
    }

    /** The synchronous storage behind this view. */
    public UnifiedStorage sync() {
        return storage;
    }

    /** Runs {@code operation} against the storage on the executor. */
    public <T> CompletableFuture<T> call(Function<UnifiedStorage, T> operation) {
        return CompletableFuture.supplyAsync(() -> operation.apply(storage), executor);
    }

    /** Runs {@code operation} for its effect. */
    public CompletableFuture<Void> run(Consumer<UnifiedStorage> operation) {
        return CompletableFuture.runAsync(() -> operation.accept(storage), executor);
    }

    public CompletableFuture<AppendResult> append(JobRef job, List<NewEvent> events) {
        return call(s -> s.events().append(job, events));
    }

    /** Collects the query's result; use the synchronous stream for results too large for memory. */
    public CompletableFuture<List<EventRecord>> query(EventFilter filter) {
        return call(s -> {
            try (Stream<EventRecord> events = s.events().query(filter)) {
                return events.collect(Collectors.toList());
            }
        });
    }

    public CompletableFuture<Optional<PersistedSession>> loadSession(String id) {
        return call(s -> s.sessions().load(id));
    }

    public CompletableFuture<PersistedSession> saveSession(PersistedSession session) {
        return call(s -> s.sessions().save(session));
    }

    public CompletableFuture<Checkpoint> saveCheckpoint(Checkpoint checkpoint) {
        return call(s -> s.checkpoints().save(checkpoint));
    }

    public CompletableFuture<LockLease> acquireLock(String key, Duration ttl, Duration maxWait) {
        return call(s -> s.locks().acquire(key, ttl, maxWait));
    }

    public CompletableFuture<HealthReport> health() {
        return call(UnifiedStorage::health);
    }
}
