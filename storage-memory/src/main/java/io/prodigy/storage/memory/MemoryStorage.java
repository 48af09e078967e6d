package io.prodigy.storage.memory;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.support.BackendStorage;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.deadline.BoundedWaits;
import io.prodigy.storage.support.lease.LeaseLockService;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory backend: every store of {@link UnifiedStorage} held in this process's heap, faithful to the contract
 * (revisions, fencing, leases, claims, idempotent appends, lazy queries, subscriptions) so it can stand in for a real
 * backend in tests.
 *
 * <p>Data lives as long as the instance, unless {@code persist_to_disk} is on: then {@link #flush()} and
 * {@link #close()} write an atomic snapshot to {@code persistence_path} and opening loads it. Acknowledged writes
 * between two snapshots are lost if the process dies, which is why the backend does not declare
 * {@link Capability#DURABLE}. One open store at a time may use a snapshot file: it holds an OS lock on it.
 *
 * <p>{@code max_memory} bounds the JSON size of all stored records; past it writes fail with
 * {@link io.prodigy.storage.error.StorageFullException} and change nothing. Lock state is not counted.
 *
 * <p>{@link BoundedWaits}: a call waits only for other calls' in-memory steps (or a snapshot being written), never
 * for anything that could hang, and a blocking lock acquire waits at most its own {@code maxWait}; so no deadline
 * needs enforcing and the layers run its calls on the caller's thread.
 */
public final class MemoryStorage extends BackendStorage implements BoundedWaits {

    /** The provider name. */
    public static final String BACKEND = "memory";

    /** What this backend supports: in one process it is neither durable nor shared. */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(
            EnumSet.of(Capability.IDEMPOTENT_APPEND, Capability.ATOMIC_FENCING, Capability.CLIENT_CLOCK));

    /** Share of {@code max_memory} in use above which health reports DEGRADED. */
    static final double NEARLY_FULL = 0.9;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStorage.class);

    private final MemoryConfig config;
    private final StoreState state;
    private final SnapshotFile snapshotFile;
    private final Object persistLock = new Object();
    private final MemorySessionStorage sessions;
    private final MemoryEventStorage events;
    private final MemoryCheckpointStorage checkpoints;
    private final MemoryDlqStorage dlq;
    private final MemoryWorkflowStorage workflows;
    private final MemoryLeaseStore leases;
    private final LeaseLockService locks;

    private MemoryStorage(MemoryConfig config, StorageContext context) {
        this.config = config;
        this.state = new StoreState(context.clock(), new MemoryBudget(config.maxMemory()));
        this.snapshotFile = config.persistToDisk() ? new SnapshotFile(config.snapshotFile()) : null;
        this.leases = new MemoryLeaseStore(state);
        this.locks = new LeaseLockService(leases);
        this.sessions = new MemorySessionStorage(state, locks);
        this.events = new MemoryEventStorage(state, locks);
        this.checkpoints = new MemoryCheckpointStorage(state, locks);
        this.dlq = new MemoryDlqStorage(state, locks);
        this.workflows = new MemoryWorkflowStorage(state, locks);
        useStores(new StoreSet(sessions, events, checkpoints, dlq, workflows, locks));
    }

    /**
     * Opens a memory store, loading the snapshot if persistence is on and one exists.
     *
     * @throws CorruptionException         naming the snapshot path if it cannot be loaded
     * @throws io.prodigy.storage.error.StorageUnavailableException if another open store uses the snapshot file, or
     *                                     it cannot be read
     */
    public static MemoryStorage open(MemoryConfig config, StorageContext context) {
        if (config == null || context == null) {
            throw new InvalidInputException("Memory storage needs a configuration and a context;"
                    + " use MemoryConfig.DEFAULT and StorageContext.system() for the defaults.");
        }
        MemoryStorage storage = new MemoryStorage(config, context);
        if (storage.snapshotFile != null) {
            storage.snapshotFile.claim();
            try {
                storage.snapshotFile.read().ifPresent(storage::restore);
            } catch (RuntimeException e) {
                storage.snapshotFile.unclaim();
                throw e;
            }
        }
        LOG.debug("Opened memory storage: max_memory={} bytes, snapshot={}", config.maxMemory(),
                storage.snapshotFile == null ? "off" : storage.snapshotFile.path());
        return storage;
    }

    @Override
    public String backendType() {
        return BACKEND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** {@link StorageContext#clock()}: the memory backend runs on the client clock ({@link Capability#CLIENT_CLOCK}). */
    @Override
    public Instant now() {
        return InstantRange.normalize(state.clock().instant());
    }

    /** The configuration this store was opened with. */
    public MemoryConfig config() {
        return config;
    }

    @Override
    public HealthReport health() {
        long started = System.nanoTime();
        if (state.isClosed()) {
            return new HealthReport(HealthStatus.DOWN, BACKEND, "Memory storage is closed.",
                    Duration.ofNanos(System.nanoTime() - started), Map.of(), state.now());
        }
        MemoryBudget budget = state.budget();
        long used = budget.usedBytes();
        long max = budget.maxBytes();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("entries", budget.entries());
        details.put("bytes_used", used);
        details.put("max_memory", max);
        details.put("usage_percent", Math.round(used * 1000.0 / max) / 10.0);
        details.put("locks_held", leases.liveCount());
        details.put("subscriptions", events.activeSubscriptions());
        details.put("persist_to_disk", config.persistToDisk());
        if (snapshotFile != null) {
            details.put("persistence_path", snapshotFile.path().toString());
            details.put("layout_version", MemorySnapshot.FORMAT);
        }
        HealthStatus status = HealthStatus.HEALTHY;
        String message = "Memory storage is working: " + used + " of " + max + " bytes in use.";
        if (used >= max) {
            status = HealthStatus.DEGRADED;
            message = "Memory storage is full (" + used + " of " + max + " bytes): writes fail until data is"
                    + " deleted or max_memory is raised.";
        } else if (used >= max * NEARLY_FULL) {
            status = HealthStatus.DEGRADED;
            message = "Memory storage is nearly full (" + used + " of " + max + " bytes): delete data or raise"
                    + " max_memory.";
        }
        return new HealthReport(status, BACKEND, message, Duration.ofNanos(System.nanoTime() - started), details,
                state.now());
    }

    /** With {@code persist_to_disk}, writes a snapshot of everything acknowledged so far; otherwise does nothing. */
    @Override
    public void flush() {
        state.ensureOpen();
        if (snapshotFile == null) {
            return;
        }
        synchronized (persistLock) {
            MemorySnapshot snapshot = state.exclusive(this::capture);
            snapshotFile.write(snapshot);
        }
    }

    /**
     * Stops subscriptions, writes the final snapshot (with {@code persist_to_disk}) and makes every later call fail.
     * Idempotent. If the snapshot cannot be written, the exception propagates and the store stays open, so no data
     * is lost: fix the cause and close again.
     */
    @Override
    public void close() {
        synchronized (persistLock) {
            if (state.isClosed()) {
                return;
            }
            events.closeSubscriptions();
            state.exclusive(() -> {
                if (snapshotFile != null) {
                    snapshotFile.write(capture());
                }
                state.markClosed();
                return null;
            });
            if (snapshotFile != null) {
                snapshotFile.unclaim();
            }
        }
        LOG.debug("Closed memory storage");
    }

    /** Everything stored, at one point in time; call inside {@link StoreState#exclusive}. */
    private MemorySnapshot capture() {
        MemoryWorkflowStorage.Exported wf = workflows.export();
        return new MemorySnapshot(MemorySnapshot.FORMAT, state.now(), sessions.export(), events.export(),
                checkpoints.export(), dlq.export(), wf.definitions(), wf.executions(), leases.export());
    }

    private void restore(MemorySnapshot snapshot) {
        try {
            sessions.restore(snapshot.sessions());
            events.restore(snapshot.eventLogs());
            checkpoints.restore(snapshot.checkpoints());
            dlq.restore(snapshot.dlqItems());
            workflows.restore(snapshot.workflows(), snapshot.workflowExecutions());
            leases.restore(snapshot.locks());
        } catch (RuntimeException e) {
            throw snapshotFile.corrupt(String.valueOf(e.getMessage()), e);
        }
        MemoryBudget budget = state.budget();
        if (budget.usedBytes() > budget.maxBytes()) {
            LOG.warn("Memory snapshot {} holds {} bytes, more than max_memory ({} bytes): everything was loaded,"
                    + " but writes that need more space fail until data is deleted or max_memory is raised",
                    snapshotFile.path(), budget.usedBytes(), budget.maxBytes());
        }
    }
}
