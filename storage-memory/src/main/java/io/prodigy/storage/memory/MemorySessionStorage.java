package io.prodigy.storage.memory;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sessions in memory: one map behind a read-write lock. Each write checks the fence, then the revision, then the
 * memory budget, and only then changes the map, all under the write lock, so it is atomic and a failed write changes
 * nothing. Values are deep-copied in and out.
 */
final class MemorySessionStorage implements SessionStorage {

    static final String KIND = "session";

    private final StoreState state;
    private final FenceCheck fences;
    private final StoreLock lock = new StoreLock();
    private final SizedMap<String, PersistedSession> sessions;

    MemorySessionStorage(StoreState state, FenceCheck fences) {
        this.state = state;
        this.fences = fences;
        this.sessions = new SizedMap<>(state.budget(), KIND);
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        Arguments.record("Session", session);
        PersistedSession copy = Copies.session(session);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + copy.id() + "'");
            Revisions.Saved<PersistedSession> saved = Revisions.session(copy, sessions.get(copy.id()), state.now());
            if (!saved.alreadyStored()) {
                sessions.put(copy.id(), saved.record());
            }
            return Copies.session(saved.record());
        }));
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        Ids.check("session id", id);
        state.ensureOpen();
        return lock.read(() -> Optional.ofNullable(sessions.get(id)).map(Copies::session));
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        Orders.SESSIONS.position(page);
        state.ensureOpen();
        List<PersistedSession> matching = lock.read(() -> sessions.values().stream().filter(f::matches).toList());
        return Orders.SESSIONS.page(matching, page).map(Copies::session);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("session id", id);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + id + "'");
            return sessions.remove(id) != null;
        }));
    }

    @Override
    public PersistedSession updateState(String id, SessionState newState, Fence fence) {
        Ids.check("session id", id);
        if (newState == null) {
            throw new InvalidInputException("New state for session '" + id + "' is missing: pass a SessionState.");
        }
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + id + "'");
            PersistedSession existing = sessions.get(id);
            if (existing == null) {
                throw new NotFoundException(KIND, id);
            }
            PersistedSession stored = existing.withState(newState).stored(existing.revision() + 1, state.now());
            sessions.put(id, stored);
            return Copies.session(stored);
        }));
    }

    int count() {
        return lock.read(sessions::size);
    }

    /** Stored sessions, for a snapshot. */
    List<PersistedSession> export() {
        return lock.read(sessions::values);
    }

    void restore(List<PersistedSession> loaded) {
        lock.write(() -> loaded.forEach(s -> sessions.load(s.id(), s)));
    }

}
