package io.prodigy.storage.tck.fault;

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
import java.util.Optional;

final class FaultyCheckpoints implements CheckpointStorage {

    private final CheckpointStorage delegate;
    private final FaultEngine engine;

    FaultyCheckpoints(CheckpointStorage delegate, FaultEngine engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        return engine.invoke("checkpoints.save", () -> delegate.save(checkpoint, fence), checkpoint, fence);
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        return engine.invoke("checkpoints.load", () -> delegate.load(scope, id), scope, id);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        return engine.invoke("checkpoints.latest", () -> delegate.latest(scope), scope);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        return engine.invoke("checkpoints.latest", () -> delegate.latest(scope, kind), scope, kind);
    }

    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        return engine.invoke("checkpoints.list", () -> delegate.list(filter, page), filter, page);
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        return engine.invoke("checkpoints.delete", () -> delegate.delete(scope, id, fence), scope, id, fence);
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        return engine.invoke("checkpoints.prune", () -> delegate.prune(scope, keep, fence), scope, keep, fence);
    }
}
