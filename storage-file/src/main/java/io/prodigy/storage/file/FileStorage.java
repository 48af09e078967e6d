package io.prodigy.storage.file;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.file.checkpoint.FileCheckpointStorage;
import io.prodigy.storage.file.dlq.FileDlqStorage;
import io.prodigy.storage.file.event.FileEventStorage;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.lock.FileLeaseStore;
import io.prodigy.storage.file.maintenance.CleanupReport;
import io.prodigy.storage.file.maintenance.Maintenance;
import io.prodigy.storage.file.maintenance.RetentionPolicy;
import io.prodigy.storage.file.maintenance.StorageStatistics;
import io.prodigy.storage.file.session.FileSessionStorage;
import io.prodigy.storage.file.workflow.FileWorkflowStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.support.BackendStorage;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.deadline.BoundedWaits;
import io.prodigy.storage.support.lease.LeaseLockService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * An open file store (the default backend). Obtain one through {@link FileStorageProvider} (or the factory); the
 * sub-stores are documented on their classes and the on-disk format in docs/file-layout.md.
 *
 * <p>Beyond {@link UnifiedStorage}, it offers what the CLI needs: {@link #baseDir()}, {@link #layoutVersion()},
 * {@link #cleanup(RetentionPolicy, boolean)} and {@link #statistics()}.
 *
 * <p>{@link BoundedWaits}: a call waits for other threads and processes only on guard locks, which give up at the
 * call's deadline (see {@code GuardFiles}); an event append queued behind another thread's group commit waits for
 * that commit, which is bounded the same way. Disk reads and writes themselves are not interrupted.
 */
public final class FileStorage extends BackendStorage implements BoundedWaits {

    private final FileConfig config;
    private final StoreContext ctx;
    private final int layoutVersion;
    private final Set<Capability> capabilities;
    private final FileSessionStorage sessions;
    private final FileEventStorage events;
    private final FileCheckpointStorage checkpoints;
    private final FileDlqStorage dlq;
    private final FileWorkflowStorage workflows;
    private final LeaseLockService locks;
    private final Maintenance maintenance;
    private final FileHealth health;

    FileStorage(FileConfig config, StoreContext ctx, int layoutVersion, Set<Capability> capabilities) {
        this.config = config;
        this.ctx = ctx;
        this.layoutVersion = layoutVersion;
        this.capabilities = Set.copyOf(capabilities);
        LeaseLockService leases = new LeaseLockService(new FileLeaseStore(ctx));
        this.locks = leases;
        this.sessions = new FileSessionStorage(ctx, leases);
        this.events = new FileEventStorage(ctx, config.maxFileSize(), config.enableCompression(),
                new ChangeNotifier(), leases);
        this.checkpoints = new FileCheckpointStorage(ctx, leases);
        this.dlq = new FileDlqStorage(ctx, leases);
        this.workflows = new FileWorkflowStorage(ctx, leases);
        useStores(new StoreSet(sessions, events, checkpoints, dlq, workflows, locks));
        this.maintenance = new Maintenance(ctx, config, events, layoutVersion);
        this.health = new FileHealth(ctx, config, layoutVersion);
    }

    @Override
    public String backendType() {
        return FileStorageProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** {@link io.prodigy.storage.StorageContext#clock()}: leases and claims expire by the client clock of each process. */
    @Override
    public Instant now() {
        return InstantRange.normalize(ctx.clock().instant());
    }

    /** The event store with its file-specific extras (removal by rule, used by retention). */
    public FileEventStorage fileEvents() {
        return events;
    }

    @Override
    public HealthReport health() {
        return health.probe();
    }

    /** The root of the store (absolute). */
    public Path baseDir() {
        return ctx.layout().base();
    }

    /** The layout version of the store on disk ({@code layout.json}). */
    public int layoutVersion() {
        return layoutVersion;
    }

    /** The configuration this store was opened with. */
    public FileConfig config() {
        return config;
    }

    /**
     * Applies event retention.
     *
     * @param policy for every repository, or {@code null} to use {@code backend_config.retention} per repository
     * @param dryRun report without removing anything
     */
    public CleanupReport cleanup(RetentionPolicy policy, boolean dryRun) {
        return maintenance.cleanup(policy, dryRun);
    }

    /** Applies the configured retention ({@code backend_config.retention}). */
    public CleanupReport cleanup(boolean dryRun) {
        return maintenance.cleanup(null, dryRun);
    }

    /** Bytes and counts per repository and category. */
    public StorageStatistics statistics() {
        return maintenance.statistics();
    }

    @Override
    public void close() {
        if (ctx.markClosed()) {
            events.close();
        }
    }

    @Override
    public String toString() {
        return "FileStorage[" + Redaction.redactUrl(ctx.layout().base().toString()) + "]";
    }
}
