package io.prodigy.storage.s3;

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
import java.util.List;
import java.util.Optional;

/**
 * Sessions as generation chains under {@code <prefix>sessions/<id>/}, with an order index by start time
 * ({@code <prefix>index/sessions/}, {@link OrderIndex}). A save is LIST + PUT (+ GET when the newest generation is not
 * cached, + 1 PUT of an index entry when the start time changes); a page of the listing reads only its sessions
 * (docs/s3.md has the cost of each call).
 */
final class S3SessionStorage implements SessionStorage {

    static final String KIND = "session";

    private final Backend b;
    private final Records<PersistedSession> records;
    private final OrderIndex<PersistedSession> index;

    S3SessionStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.index = new OrderIndex<>(backend, Orders.SESSIONS, true,
                key -> Optional.ofNullable(records().stored(b.layout.session(key.parts().get(0))))
                        .map(Records.Stored::value));
        this.records = new Records<>(backend, fences, PersistedSession.class,
                (before, after) -> index.prepare(before, after, List.of(b.layout.sessionIndex())));
    }

    private Records<PersistedSession> records() {
        return records;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        Arguments.record("Session", session);
        return records.save(b.layout.session(session.id()), name(session.id()), fence,
                current -> Revisions.session(session, current, b.now()));
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        Ids.check("session id", id);
        return Optional.ofNullable(records.load(b.layout.session(id)));
    }

    /**
     * Walks the order index from the cursor (bounded by the filter's times) and reads only the sessions of the page;
     * state and worktree filters are evaluated on the sessions read (docs/s3.md, "Paging").
     */
    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        Orders.SESSIONS.position(page);
        b.ensureOpen();
        return index.page(b.layout.sessionIndex(), page, f.after(), f.before(), f::matches);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("session id", id);
        return records.delete(b.layout.session(id), name(id), fence);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        Ids.check("session id", id);
        if (state == null) {
            throw new InvalidInputException("New state for session '" + id + "' is missing: pass a SessionState.");
        }
        return records.modify(b.layout.session(id), name(id), fence, existing -> {
            if (existing == null) {
                throw new NotFoundException(KIND, id);
            }
            PersistedSession stored = existing.withState(state).stored(existing.revision() + 1, b.now());
            return Generations.write(stored, stored);
        });
    }

    private static String name(String id) {
        return KIND + " '" + id + "'";
    }
}
