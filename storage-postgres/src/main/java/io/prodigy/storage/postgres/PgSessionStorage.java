package io.prodigy.storage.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.revision.Revisions;
import io.prodigy.storage.support.revision.WriteIds;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sessions in one table. A create is {@code INSERT … ON CONFLICT DO NOTHING}, an update {@code UPDATE … WHERE
 * revision = ?}, both {@code RETURNING} the new revision and update time, so a save is one statement (plus a read of the revision only
 * when it lost); a fenced save adds the fence check in the same transaction.
 */
final class PgSessionStorage implements SessionStorage {

    static final String KIND = "Session";
    private static final String COLUMNS = "id, state, started_at, updated_at, iterations_completed, files_changed,"
            + " worktree_name, metadata, revision, write_id";
    /** The columns as read: the times as microseconds ({@link Rows#micros}). */
    private static final String SELECTED = "id, state, " + Rows.micros("started_at") + " AS started_us, "
            + Rows.micros("updated_at") + " AS updated_us, iterations_completed, files_changed, worktree_name,"
            + " metadata, revision, write_id";
    /**
     * What a save reads back: the row is the caller's session but for these two, so the reply carries no metadata to
     * parse (as on the other backends, the saved copy keeps the caller's metadata).
     */
    private static final String STAMP = "revision, " + Rows.micros("updated_at") + " AS updated_us";

    private final Db db;
    private final Tables t;

    /**
     * The statements of a save and a load, built once: the driver finds its prepared statement by the SQL text, so a
     * text concatenated on every call also had to be hashed on every call.
     */
    private final String insertSql;
    private final String updateSql;
    private final String selectSql;

    PgSessionStorage(Db db, Tables t) {
        this.db = db;
        this.t = t;
        this.insertSql = "INSERT INTO " + t.sessions() + " (" + COLUMNS + ") VALUES (?, ?, ?, " + Db.NOW
                + ", ?, ?, ?, ?::jsonb, 1, ?) ON CONFLICT (id) DO NOTHING RETURNING " + STAMP;
        this.updateSql = "UPDATE " + t.sessions() + " SET state = ?, started_at = ?, updated_at = " + Db.NOW
                + ", iterations_completed = ?, files_changed = ?, worktree_name = ?, metadata = ?::jsonb,"
                + " revision = revision + 1, write_id = ? WHERE id = ? AND revision = ? RETURNING " + STAMP;
        this.selectSql = "SELECT " + SELECTED + " FROM " + t.sessions() + " WHERE id = ?";
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        Arguments.record("Session", session);
        boolean fenced = !Fences.isNone(fence);
        Db.Work<PersistedSession> work = c -> {
            if (fenced) {
                Fences.check(c, t, KIND + " '" + session.id() + "'", fence);
            }
            for (int attempt = 1; ; attempt++) {
                Optional<PersistedSession> stored = session.revision() == 0 ? insert(c, session) : update(c, session);
                if (stored.isPresent()) {
                    return stored.get();
                }
                // Lost: either to another writer (a conflict) or to this very write, applied by an earlier attempt
                // whose reply was lost (the shared rule recognises its write id).
                PersistedSession current = read(c, session.id()).orElse(null);
                Revisions.Saved<PersistedSession> saved = Revisions.session(session, current, session.updatedAt());
                if (saved.alreadyStored()) {
                    return current;
                }
                if (attempt >= 3) {
                    throw new VersionConflictException(KIND, session.id(), session.revision(),
                            current == null ? 0 : current.revision());
                }
            }
        };
        Supplier<String> what = () -> "saving session '" + session.id() + "'";
        return fenced ? db.transaction(what, work) : db.write(what, work);
    }

    private Optional<PersistedSession> insert(Connection c, PersistedSession s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            int i = bindBody(ps, s, 1);
            ps.setString(i, s.writeId());
            return stamped(ps, s);
        }
    }

    private Optional<PersistedSession> update(Connection c, PersistedSession s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(updateSql)) {
            ps.setString(1, s.state().name());
            Db.bindInstant(ps, 2, s.startedAt());
            db.bindNow(ps, 3);
            ps.setInt(4, s.iterationsCompleted());
            ps.setInt(5, s.filesChanged());
            Rows.bindText(ps, 6, s.worktreeName());
            Rows.bindJson(ps, 7, s.metadata());
            ps.setString(8, s.writeId());
            ps.setString(9, s.id());
            ps.setLong(10, s.revision());
            return stamped(ps, s);
        }
    }

    /** {@code s} as stored by {@code ps} (which returns {@link #STAMP}), or empty if it wrote nothing. */
    private static Optional<PersistedSession> stamped(PreparedStatement ps, PersistedSession s) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(s.stored(rs.getLong("revision"), Rows.instantOfMicros(rs, "updated_us")))
                    : Optional.empty();
        }
    }

    /** Binds id, state, started_at, now, iterations, files, worktree, metadata from {@code index}. */
    private int bindBody(PreparedStatement ps, PersistedSession s, int index) throws SQLException {
        ps.setString(index, s.id());
        ps.setString(index + 1, s.state().name());
        Db.bindInstant(ps, index + 2, s.startedAt());
        db.bindNow(ps, index + 3);
        ps.setInt(index + 4, s.iterationsCompleted());
        ps.setInt(index + 5, s.filesChanged());
        Rows.bindText(ps, index + 6, s.worktreeName());
        Rows.bindJson(ps, index + 7, s.metadata());
        return index + 8;
    }

    private Optional<PersistedSession> read(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectSql)) {
            ps.setString(1, id);
            return one(ps);
        }
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        Ids.check("session id", id);
        return db.read(() -> "loading session '" + id + "'", c -> read(c, id));
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        Optional<PageKey> position = Orders.SESSIONS.position(page);
        if (f.worktreeName() != null) {
            Ids.check("worktree name", f.worktreeName());
        }
        StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM " + t.sessions() + " WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.state() != null) {
            sql.append(" AND state = ?");
            args.add(f.state().name());
        }
        if (f.worktreeName() != null) {
            sql.append(" AND worktree_name = ?");
            args.add(f.worktreeName());
        }
        if (f.after() != null) {
            sql.append(" AND started_at > ?");
            args.add(f.after());
        }
        if (f.before() != null) {
            sql.append(" AND started_at < ?");
            args.add(f.before());
        }
        Paging.after(position, "started_at", List.of("id"), sql, args);
        sql.append(" ORDER BY started_at, id").append(Paging.limit(page.limit()));
        List<PersistedSession> rows = db.read("listing sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                return all(ps);
            }
        });
        return Orders.SESSIONS.page(rows, page);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("session id", id);
        Db.Work<Boolean> work = c -> {
            Fences.check(c, t, KIND + " '" + id + "'", fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.sessions() + " WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        };
        String what = "deleting session '" + id + "'";
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        Ids.check("session id", id);
        if (state == null) {
            throw new InvalidInputException("Session state is missing for session '" + id + "'.");
        }
        Db.Work<PersistedSession> work = c -> {
            Fences.check(c, t, KIND + " '" + id + "'", fence);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.sessions() + " SET state = ?, updated_at = "
                    + Db.NOW + ", revision = revision + 1, write_id = ? WHERE id = ? RETURNING " + SELECTED)) {
                ps.setString(1, state.name());
                db.bindNow(ps, 2);
                ps.setString(3, WriteIds.next());
                ps.setString(4, id);
                return one(ps).orElseThrow(() -> new NotFoundException("session", id));
            }
        };
        String what = "updating the state of session '" + id + "'";
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    private static Optional<PersistedSession> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static List<PersistedSession> all(PreparedStatement ps) throws SQLException {
        List<PersistedSession> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    private static PersistedSession map(ResultSet rs) throws SQLException {
        JsonNode meta = Rows.json(rs, "metadata");
        // Sorted already: PersistedSession keeps a TreeMap copy, which a sorted map fills in one pass, without a
        // comparison per entry.
        Map<String, JsonNode> metadata = new TreeMap<>();
        if (meta instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                metadata.put(e.getKey(), e.getValue());
            }
        }
        return new PersistedSession(rs.getString("id"), SessionState.valueOf(rs.getString("state")),
                Rows.instantOfMicros(rs, "started_us"), Rows.instantOfMicros(rs, "updated_us"),
                rs.getInt("iterations_completed"),
                rs.getInt("files_changed"), rs.getString("worktree_name"), metadata, rs.getLong("revision"),
                rs.getString("write_id"));
    }
}
