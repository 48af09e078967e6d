package io.prodigy.storage.core.layer.intercept;

import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.call;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Optional;

final class InterceptingSessions implements SessionStorage {

    private final SessionStorage delegate;
    private final InterceptorChain chain;

    InterceptingSessions(SessionStorage delegate, InterceptorChain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        return call(chain, Operation.SESSIONS_SAVE, () -> delegate.save(session, fence));
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        return call(chain, Operation.SESSIONS_LOAD, () -> delegate.load(id));
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        return call(chain, Operation.SESSIONS_LIST, () -> delegate.list(filter, page));
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return call(chain, Operation.SESSIONS_DELETE, () -> delegate.delete(id, fence));
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        return call(chain, Operation.SESSIONS_UPDATE_STATE, () -> delegate.updateState(id, state, fence));
    }
}
