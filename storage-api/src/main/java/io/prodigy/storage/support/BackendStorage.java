package io.prodigy.storage.support;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.util.Objects;

/**
 * Base of a backend's {@link UnifiedStorage} (and of {@link WrappingStorage}): the backend builds its six sub-stores
 * once, in its constructor, and hands them over with {@link #useStores}; the getters are final and return the same
 * objects for the storage's whole life. Everything else (backend type, capabilities, time, limits, health, close)
 * stays the backend's.
 *
 * <p>The stores are handed over after the constructor's own fields are set, because a backend's stores are usually
 * built from them (its pool, its clock); a storage is published to other threads only after its constructor
 * returns, as every backend's {@code open} does.
 */
public abstract class BackendStorage implements UnifiedStorage {

    private StoreSet stores;

    protected BackendStorage() {}

    /** Sets the sub-stores; called exactly once, from the subclass's constructor. */
    protected final void useStores(StoreSet stores) {
        if (this.stores != null) {
            throw new IllegalStateException("the sub-stores of " + getClass().getSimpleName() + " are already set");
        }
        this.stores = Objects.requireNonNull(stores, "stores");
    }

    @Override
    public final SessionStorage sessions() {
        return stores.sessions();
    }

    @Override
    public final EventStorage events() {
        return stores.events();
    }

    @Override
    public final CheckpointStorage checkpoints() {
        return stores.checkpoints();
    }

    @Override
    public final DlqStorage dlq() {
        return stores.dlq();
    }

    @Override
    public final WorkflowStorage workflows() {
        return stores.workflows();
    }

    @Override
    public final LockService locks() {
        return stores.locks();
    }
}
