package io.prodigy.storage.tck.fault;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Optional;

final class FaultySessions implements SessionStorage {

    private final SessionStorage delegate;
    private final FaultEngine engine;

    FaultySessions(SessionStorage delegate, FaultEngine engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        return engine.invoke("sessions.save", () -> delegate.save(session, fence), session, fence);
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        return engine.invoke("sessions.load", () -> delegate.load(id), id);
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        return engine.invoke("sessions.list", () -> delegate.list(filter, page), filter, page);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return engine.invoke("sessions.delete", () -> delegate.delete(id, fence), id, fence);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        return engine.invoke("sessions.updateState", () -> delegate.updateState(id, state, fence), id, state, fence);
    }
}
