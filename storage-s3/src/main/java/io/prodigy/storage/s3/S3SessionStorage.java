package io.prodigy.storage.s3;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sessions as generation chains under {@code <prefix>sessions/<id>/}. A save is LIST + PUT (+ GET when the newest
 * generation is not cached); a list reads every session (docs/s3.md has the cost of each call).
 */
final class S3SessionStorage implements SessionStorage {

    static final String KIND = "session";
    private static final Comparator<PersistedSession> ORDER = Comparator.comparing(PersistedSession::startedAt)
            .thenComparing(PersistedSession::id, Utf8Order.COMPARATOR);

    private final Backend b;
    private final Records<PersistedSession> records;

    S3SessionStorage(Backend backend, S3LeaseStore leases) {
        this.b = backend;
        this.records = new Records<>(backend, leases, KIND, PersistedSession.class, PersistedSession::revision);
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        if (session == null) {
            throw new InvalidInputException("Session is missing: pass the session to save.");
        }
        return records.save(b.layout.session(session.id()), session.id(), session.revision(), fence,
                revision -> session.stored(revision, b.now()));
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        Ids.check("session id", id);
        return Optional.ofNullable(records.load(b.layout.session(id)));
    }

    @Override
    public List<PersistedSession> list(SessionFilter filter) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        return records.all(b.layout.sessions(), Layout::baseOf).stream()
                .map(Records.Stored::value)
                .filter(f::matches)
                .sorted(ORDER)
                .limit(f.limit() == 0 ? Long.MAX_VALUE : f.limit())
                .toList();
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("session id", id);
        return records.delete(b.layout.session(id), id, fence);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        Ids.check("session id", id);
        if (state == null) {
            throw new InvalidInputException("New state for session '" + id + "' is missing: pass a SessionState.");
        }
        return records.modify(b.layout.session(id), id, fence, existing -> {
            if (existing == null) {
                throw new NotFoundException(KIND, id);
            }
            PersistedSession stored = existing.withState(state).stored(existing.revision() + 1, b.now());
            return Generations.write(stored, stored);
        });
    }
}
