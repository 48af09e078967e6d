package io.prodigy.storage.core.layer.forward;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Forwards every call; subclasses override what they change. */
public abstract class ForwardingSessionStorage implements SessionStorage {

    private final SessionStorage delegate;

    protected ForwardingSessionStorage(SessionStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final SessionStorage delegate() {
        return delegate;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        return delegate.save(session, fence);
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        return delegate.load(id);
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        return delegate.list(filter, page);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return delegate.delete(id, fence);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        return delegate.updateState(id, state, fence);
    }
}
