package io.prodigy.storage.file.session;

import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.RecordIndex;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Keyset;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions in {@code sessions/{id}.json}, one atomic file each. Writes hold the guard of {@code sessions/} around
 * fence check, revision check and write, so they are atomic across processes. Reads take no lock: files are only
 * ever replaced by rename, so a reader sees a whole old or new version. Listings filter and sort summaries kept in a
 * {@link RecordIndex} and read only the files of the page they return.
 */
public final class FileSessionStorage implements SessionStorage {

    private static final String KIND = "session";
    private static final Keyset<RecordIndex.Indexed<PersistedSession>> BY_SUMMARY =
            Orders.SESSIONS.by(i -> Orders.SESSIONS.keyOf(i.summary()));

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FenceCheck fences;
    /** Summaries: the session without its metadata, which is all a filter or the order looks at. */
    private final RecordIndex<PersistedSession> index = new RecordIndex<>(file ->
            JsonFiles.readOrSkip(file, PersistedSession.class, KIND).map(FileSessionStorage::summary));

    public FileSessionStorage(StoreContext ctx, FenceCheck fences) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.fences = fences;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        Arguments.record("Session", session);
        Path file = layout.sessionFile(session.id());
        return ctx.guarded(layout.sessionsDir(), "saving session '" + session.id() + "'", () -> {
            fences.check(fence, "session '" + session.id() + "'");
            // The revision check needs the stored revision and write id, not the metadata: read without it.
            PersistedSession head = JsonFiles.readHeadInCheckedDir(file, PersistedSession.class, KIND).orElse(null);
            Revisions.Saved<PersistedSession> saved = Revisions.session(session, head, ctx.now());
            if (saved.alreadyStored()) {
                // This very write was applied before (a retry whose reply was lost): return the stored record whole.
                PersistedSession current = JsonFiles.readInCheckedDir(file, PersistedSession.class, KIND)
                        .orElseThrow(() -> new NotFoundException(KIND, session.id()));
                return Revisions.session(session, current, ctx.now()).record();
            }
            JsonFiles.writeInCheckedDir(file, saved.record(), KIND);
            return saved.record();
        });
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        ctx.checkOpen();
        return JsonFiles.read(layout.sessionFile(id), PersistedSession.class, KIND);
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        BY_SUMMARY.position(page);
        ctx.checkOpen();
        List<RecordIndex.Indexed<PersistedSession>> matching = index.scan(layout.sessionsDir(), ".json").stream()
                .filter(i -> f.matches(i.summary())).toList();
        // A file replaced since the scan is read as it is now: kept only if it still matches at the same place.
        return BY_SUMMARY.page(matching, page, i -> JsonFiles.readOrSkip(i.file(), PersistedSession.class, KIND)
                .filter(s -> f.matches(s) && s.startedAt().equals(i.summary().startedAt())
                        && s.id().equals(i.summary().id())));
    }

    private static PersistedSession summary(PersistedSession s) {
        return s.metadata().isEmpty() ? s : new PersistedSession(s.id(), s.state(), s.startedAt(), s.updatedAt(),
                s.iterationsCompleted(), s.filesChanged(), s.worktreeName(), Map.of(), s.revision());
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
            PersistedSession current = JsonFiles.readInCheckedDir(file, PersistedSession.class, KIND)
                    .orElseThrow(() -> new NotFoundException(KIND, id));
            PersistedSession stored = current.withState(state).stored(current.revision() + 1, ctx.now());
            JsonFiles.writeInCheckedDir(file, stored, KIND);
            return stored;
        });
    }
}
