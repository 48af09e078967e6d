package io.prodigy.storage.core.layer.cache;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.core.layer.forward.ForwardingCheckpointStorage;
import io.prodigy.storage.lock.Fence;
import java.util.Optional;

/**
 * Caches {@link #load} and both {@link #latest} reads. A save updates the checkpoint's entry and drops the scope's
 * "latest" entries; a delete drops the checkpoint and the scope's "latest" entries; a prune drops everything of the
 * scope. {@code list} is not cached.
 */
final class CachingCheckpoints extends ForwardingCheckpointStorage {

    private final ReadCache cache;

    CachingCheckpoints(CheckpointStorage delegate, ReadCache cache) {
        super(delegate);
        this.cache = cache;
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        return cache.read(new CacheKey.Checkpoint(scope, id), Checkpoint.class, RecordCopies::checkpoint,
                () -> delegate().load(scope, id));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        return cache.read(new CacheKey.LatestCheckpoint(scope, null), Checkpoint.class, RecordCopies::checkpoint,
                () -> delegate().latest(scope));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        return cache.read(new CacheKey.LatestCheckpoint(scope, kind), Checkpoint.class, RecordCopies::checkpoint,
                () -> delegate().latest(scope, kind));
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        CheckpointScope scope = checkpoint.scope();
        try {
            return cache.write(new CacheKey.Checkpoint(scope, checkpoint.id()),
                    () -> delegate().save(checkpoint, fence), RecordCopies::checkpoint);
        } finally {
            cache.invalidate(new CacheKey.LatestCheckpoint(scope, null));
            cache.invalidate(new CacheKey.LatestCheckpoint(scope, checkpoint.kind()));
        }
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        try {
            return cache.write(new CacheKey.Checkpoint(scope, id), () -> delegate().delete(scope, id, fence), null);
        } finally {
            invalidateLatest(scope);
        }
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        try {
            return delegate().prune(scope, keep, fence);
        } finally {
            cache.invalidateAll(key -> key instanceof CacheKey.Scoped s && s.scope().equals(scope));
        }
    }

    private void invalidateLatest(CheckpointScope scope) {
        cache.invalidate(new CacheKey.LatestCheckpoint(scope, null));
        for (CheckpointKind kind : CheckpointKind.values()) {
            cache.invalidate(new CacheKey.LatestCheckpoint(scope, kind));
        }
    }
}
