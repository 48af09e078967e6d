package io.prodigy.storage;

import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One open store (spec 093 {@code UnifiedStorage}): five record stores, locks and health, all backed by the same
 * backend. Open one with {@code StorageFactory}; close it when done.
 *
 * <p>Implementations are thread-safe: every method may be called from any thread at any time until {@link #close()}.
 * After {@code close} every call fails. The sub-store accessors return the same instance on every call.
 */
public interface UnifiedStorage extends AutoCloseable {

    /** The provider name, for example {@code file} or {@code memory}. */
    String backendType();

    /**
     * What this storage supports beyond the base contract: a subset of its provider's
     * {@link StorageProvider#capabilities()}, smaller where the configuration turns something off.
     */
    Set<Capability> capabilities();

    /**
     * The store's time: the clock that decides lease and claim expiry and stamps instants the store sets
     * ({@code enqueuedAt}, an event's timestamp when the caller gave none). For a backend with
     * {@link Capability#CLIENT_CLOCK} it is {@link StorageContext#clock()}; for one on server time, the server's
     * clock as read now (one round trip). Truncated to {@link io.prodigy.storage.support.InstantRange#PRECISION}.
     */
    Instant now();

    /** The largest requests this storage accepts; {@link Limits#DEFAULT} unless the backend documents less. */
    default Limits limits() {
        return Limits.DEFAULT;
    }

    SessionStorage sessions();

    EventStorage events();

    CheckpointStorage checkpoints();

    DlqStorage dlq();

    WorkflowStorage workflows();

    LockService locks();

    /** Probes the backend and reports its state. Never throws for an unhealthy backend: reports {@code DOWN}. */
    HealthReport health();

    /** Convenience for {@code locks().acquire(key, ttl, maxWait)}. */
    default LockLease acquireLock(String key, Duration ttl, Duration maxWait) {
        return locks().acquire(key, ttl, maxWait);
    }

    /**
     * Makes every acknowledged write durable where the backend buffers (the memory backend writes its snapshot when
     * {@code persist_to_disk} is on). Backends that are durable on every write do nothing.
     */
    default void flush() {}

    /** Releases resources (files, connections, threads). Idempotent. */
    @Override
    void close();
}
