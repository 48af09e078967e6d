package io.prodigy.storage.core.layer.cache;

import io.prodigy.storage.core.layer.forward.ForwardingSessionStorage;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import java.util.Optional;

/** Caches {@link #load}; every write through it updates or drops the entry. {@code list} is not cached. */
final class CachingSessions extends ForwardingSessionStorage {

    private final ReadCache cache;

    CachingSessions(SessionStorage delegate, ReadCache cache) {
        super(delegate);
        this.cache = cache;
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        return cache.read(new CacheKey.Session(id), PersistedSession.class, RecordCopies::session,
                () -> delegate().load(id));
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        return cache.write(new CacheKey.Session(session.id()), () -> delegate().save(session, fence),
                RecordCopies::session);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return cache.write(new CacheKey.Session(id), () -> delegate().delete(id, fence), null);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        return cache.write(new CacheKey.Session(id), () -> delegate().updateState(id, state, fence),
                RecordCopies::session);
    }
}
