package io.prodigy.storage.core.layer.forward;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Forwards every call; subclasses override what they change. */
public abstract class ForwardingCheckpointStorage implements CheckpointStorage {

    private final CheckpointStorage delegate;

    protected ForwardingCheckpointStorage(CheckpointStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final CheckpointStorage delegate() {
        return delegate;
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        return delegate.save(checkpoint, fence);
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        return delegate.load(scope, id);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        return delegate.latest(scope);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        return delegate.latest(scope, kind);
    }

    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        return delegate.list(filter, page);
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        return delegate.delete(scope, id, fence);
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        return delegate.prune(scope, keep, fence);
    }
}
