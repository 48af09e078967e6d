package io.prodigy.storage.core.layer.cache;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.core.layer.forward.ForwardingStorage;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Clock;

/**
 * The read cache ({@code enable_cache: true}) over sessions, checkpoints and workflow definitions, backed by
 * Caffeine with {@code cache_config.max_entries} entries at most, each served for at most {@code cache_config.ttl}
 * after it was written.
 *
 * <p><b>Consistency.</b> Every write made through this storage updates or drops the entries it affects before it
 * returns, so a reader in the same process never sees a value older than its own last write (see
 * {@link ReadCache} for how concurrent readers and writers are kept from reinstating old values). Writes made by
 * other processes, or by other storage instances in this process, are not seen until the entry expires: the
 * cross-process staleness bound is {@code ttl}. Lower it, or leave the cache off, where several processes update the
 * same records.
 *
 * <p>Only present records are cached ("not found" is always asked of the backend). Cached records are deep-copied
 * in and out, so callers cannot change each other's copies.
 */
public final class CachingStorage extends ForwardingStorage {

    private final ReadCache cache;
    private final SessionStorage sessions;
    private final CheckpointStorage checkpoints;
    private final WorkflowStorage workflows;

    public CachingStorage(UnifiedStorage delegate, CacheConfig config, Clock clock) {
        super(delegate);
        this.cache = new ReadCache(config, clock);
        this.sessions = new CachingSessions(delegate.sessions(), cache);
        this.checkpoints = new CachingCheckpoints(delegate.checkpoints(), cache);
        this.workflows = new CachingWorkflows(delegate.workflows(), cache);
    }

    @Override
    public SessionStorage sessions() {
        return sessions;
    }

    @Override
    public CheckpointStorage checkpoints() {
        return checkpoints;
    }

    @Override
    public WorkflowStorage workflows() {
        return workflows;
    }

    /** Hits, misses, size and evictions so far (maintenance is run first, so size and evictions are exact). */
    public CacheStats stats() {
        cache.cleanUp();
        return cache.stats();
    }
}
