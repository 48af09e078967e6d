package io.prodigy.storage.core.layer.intercept;

import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.call;

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

final class InterceptingCheckpoints implements CheckpointStorage {

    private final CheckpointStorage delegate;
    private final InterceptorChain chain;

    InterceptingCheckpoints(CheckpointStorage delegate, InterceptorChain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        return call(chain, Operation.CHECKPOINTS_SAVE, () -> delegate.save(checkpoint, fence));
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        return call(chain, Operation.CHECKPOINTS_LOAD, () -> delegate.load(scope, id));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        return call(chain, Operation.CHECKPOINTS_LATEST, () -> delegate.latest(scope));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        return call(chain, Operation.CHECKPOINTS_LATEST, () -> delegate.latest(scope, kind));
    }

    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        return call(chain, Operation.CHECKPOINTS_LIST, () -> delegate.list(filter, page));
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        return call(chain, Operation.CHECKPOINTS_DELETE, () -> delegate.delete(scope, id, fence));
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        return call(chain, Operation.CHECKPOINTS_PRUNE, () -> delegate.prune(scope, keep, fence));
    }
}
