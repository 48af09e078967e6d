package io.prodigy.storage.file.session;

import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.support.lease.FenceCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions in {@code sessions/{id}.json}, one atomic file each. Writes hold the guard of {@code sessions/} around
 * fence check, revision check and write, so they are atomic across processes. Reads take no lock: files are only
 * ever replaced by rename, so a reader sees a whole old or new version.
 */
public final class FileSessionStorage implements SessionStorage {

    private static final String KIND = "session";
    private static final Comparator<PersistedSession> ORDER =
            Comparator.comparing(PersistedSession::startedAt).thenComparing(PersistedSession::id);

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FenceCheck fences;

    public FileSessionStorage(StoreContext ctx, FenceCheck fences) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.fences = fences;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        Objects.requireNonNull(session, "session");
        Path file = layout.sessionFile(session.id());
        return ctx.guarded(layout.sessionsDir(), "saving session '" + session.id() + "'", () -> {
            fences.check(fence, "session '" + session.id() + "'");
            long actual = JsonFiles.read(file, PersistedSession.class, KIND).map(PersistedSession::revision)
                    .orElse(0L);
            if (session.revision() != actual) {
                throw new VersionConflictException(KIND, session.id(), session.revision(), actual);
            }
            PersistedSession stored = session.stored(actual + 1, ctx.now());
            JsonFiles.write(file, stored, KIND);
            return stored;
        });
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        ctx.checkOpen();
        return JsonFiles.read(layout.sessionFile(id), PersistedSession.class, KIND);
    }

    @Override
    public List<PersistedSession> list(SessionFilter filter) {
        ctx.checkOpen();
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        List<PersistedSession> out = new ArrayList<>();
        for (Path file : JsonFiles.list(layout.sessionsDir(), ".json")) {
            JsonFiles.readOrSkip(file, PersistedSession.class, KIND).filter(f::matches).ifPresent(out::add);
        }
        out.sort(ORDER);
        return f.limit() > 0 && out.size() > f.limit() ? List.copyOf(out.subList(0, f.limit())) : out;
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Path file = layout.sessionFile(id);
        return ctx.guarded(layout.sessionsDir(), "deleting session '" + id + "'", () -> {
            fences.check(fence, "session '" + id + "'");
            return JsonFiles.delete(file, KIND);
        });
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        Objects.requireNonNull(state, "state");
        Path file = layout.sessionFile(id);
        return ctx.guarded(layout.sessionsDir(), "updating session '" + id + "'", () -> {
            fences.check(fence, "session '" + id + "'");
            PersistedSession current = JsonFiles.read(file, PersistedSession.class, KIND)
                    .orElseThrow(() -> new NotFoundException(KIND, id));
            PersistedSession stored = current.withState(state).stored(current.revision() + 1, ctx.now());
            JsonFiles.write(file, stored, KIND);
            return stored;
        });
    }
}
