package io.prodigy.storage.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.Limits;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.revision.Revisions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints in one table keyed by {@code (scope_key, id)}, where the scope key is {@code w/<workflow>} or
 * {@code j/<repository>/<job>}. Saves follow the sessions' pattern (one statement, {@code RETURNING} the stored row);
 * "newest" is {@code ORDER BY created_at DESC, id DESC LIMIT 1} on the scope's index.
 */
final class PgCheckpointStorage implements CheckpointStorage {

    static final String KIND = "Checkpoint";
    private static final String BODY = "workflow_id, repo, job, kind, format_version, created_at, step_index,"
            + " completed_steps, variables, state, size_bytes";
    private static final String COLUMNS = "scope_key, id, " + BODY + ", revision, write_id";
    private static final TypeReference<List<Integer>> INTS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    private final Db db;
    private final Tables t;

    PgCheckpointStorage(Db db, Tables t) {
        this.db = db;
        this.t = t;
    }

    static String scopeKey(CheckpointScope scope) {
        return scope.isJob() ? "j/" + scope.job().repository() + "/" + scope.job().jobId()
                : "w/" + scope.workflowId();
    }

    @Override
    public Checkpoint save(Checkpoint cp, Fence fence) {
        Arguments.record("Checkpoint", cp);
        String state = Rows.jsonText(cp.state());
        long size = state.getBytes(StandardCharsets.UTF_8).length;
        Limits.DEFAULT.checkPayload("state of checkpoint '" + cp.id() + "'", size);
        Db.Work<Checkpoint> work = c -> {
            Fences.check(c, t, KIND + " '" + cp.id() + "'", fence);
            for (int attempt = 1; ; attempt++) {
                String sql = cp.revision() == 0
                        ? "INSERT INTO " + t.checkpoints() + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                + " ?::jsonb, ?::jsonb, ?::jsonb, ?, 1, ?) ON CONFLICT (scope_key, id) DO NOTHING"
                                + " RETURNING " + COLUMNS
                        : "UPDATE " + t.checkpoints() + " SET (scope_key, id, " + BODY + ", revision, write_id) = (?,"
                                + " ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, revision + 1, ?)"
                                + " WHERE scope_key = ? AND id = ? AND revision = ? RETURNING " + COLUMNS;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = bind(ps, cp, state, size);
                    ps.setString(i++, cp.writeId());
                    if (cp.revision() != 0) {
                        ps.setString(i, scopeKey(cp.scope()));
                        ps.setString(i + 1, cp.id());
                        ps.setLong(i + 2, cp.revision());
                    }
                    Optional<Checkpoint> stored = one(ps);
                    if (stored.isPresent()) {
                        return stored.get();
                    }
                }
                Checkpoint current = read(c, cp.scope(), cp.id()).orElse(null);
                if (Revisions.checkpoint(cp, current).alreadyStored()) {
                    return current; // this write, applied by an attempt whose reply was lost
                }
                if (attempt >= 3) {
                    throw new VersionConflictException(KIND, cp.scope() + "/" + cp.id(), cp.revision(),
                            current == null ? 0 : current.revision());
                }
            }
        };
        String what = "saving checkpoint '" + cp.id() + "' of " + cp.scope();
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    private static int bind(PreparedStatement ps, Checkpoint cp, String state, long size) throws SQLException {
        JobRef job = cp.scope().job();
        ps.setString(1, scopeKey(cp.scope()));
        ps.setString(2, cp.id());
        Rows.bindText(ps, 3, cp.scope().workflowId());
        Rows.bindText(ps, 4, job == null ? null : job.repository());
        Rows.bindText(ps, 5, job == null ? null : job.jobId());
        ps.setString(6, cp.kind().name());
        ps.setInt(7, cp.formatVersion());
        Db.bindInstant(ps, 8, cp.createdAt());
        ps.setInt(9, cp.stepIndex());
        Rows.bindJson(ps, 10, cp.completedSteps());
        Rows.bindJson(ps, 11, cp.variables());
        ps.setString(12, state);
        ps.setLong(13, size);
        return 14;
    }

    private Optional<Checkpoint> read(Connection c, CheckpointScope scope, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.checkpoints()
                + " WHERE scope_key = ? AND id = ?")) {
            ps.setString(1, scopeKey(scope));
            ps.setString(2, id);
            return one(ps);
        }
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        Arguments.scope(scope);
        Ids.check("checkpoint id", id);
        return db.read("loading checkpoint '" + id + "' of " + scope, c -> read(c, scope, id));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        Arguments.scope(scope);
        return newest(scope, null);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        Arguments.scope(scope);
        if (kind == null) {
            throw new InvalidInputException("Checkpoint kind is missing: use latest(scope) for any kind.");
        }
        return newest(scope, kind);
    }

    private Optional<Checkpoint> newest(CheckpointScope scope, CheckpointKind kind) {
        return db.read("reading the latest checkpoint of " + scope, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.checkpoints()
                    + " WHERE scope_key = ?" + (kind == null ? "" : " AND kind = ?")
                    + " ORDER BY created_at DESC, id DESC LIMIT 1")) {
                ps.setString(1, scopeKey(scope));
                if (kind != null) {
                    ps.setString(2, kind.name());
                }
                return one(ps);
            }
        });
    }

    /**
     * The listing order ({@code Orders.CHECKPOINTS}) in SQL: time, id, then the scope (job scopes before workflow
     * scopes, as "job" sorts before "workflow"; then repository and job, or the workflow), every name
     * {@code COLLATE "C"}. Not {@code scope_key}: {@code 'j/a-b/x' < 'j/a/x'} while the repository {@code a} sorts
     * before {@code a-b}.
     */
    private static final String LIST_ORDER = "created_at, id, workflow_id IS NOT NULL,"
            + " COALESCE(repo, workflow_id) COLLATE \"C\", COALESCE(job, '') COLLATE \"C\"";

    /**
     * A keyset page in SQL: the rows after the cursor's position in {@link #LIST_ORDER}, {@code LIMIT n + 1}. The
     * position's {@code (created_at, id) >=} prefix is what the indexes ({@code (scope_key, created_at, id)},
     * {@code (repo, created_at, id)}, {@code (created_at, id)}) range over; the full row comparison after it only
     * separates equal times and ids of different scopes, and the sort's tail (incremental) only orders those.
     */
    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        Optional<PageKey> position = Orders.CHECKPOINTS.position(page);
        StringBuilder sql = new StringBuilder("SELECT scope_key, id, workflow_id, repo, job, kind, created_at,"
                + " step_index, size_bytes, revision FROM " + t.checkpoints() + " WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.scope() != null) {
            sql.append(" AND scope_key = ?");
            args.add(scopeKey(f.scope()));
        } else if (f.repository() != null) {
            Ids.check("repository name", f.repository());
            sql.append(" AND repo = ?");
            args.add(f.repository());
        }
        if (f.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(f.kind().name());
        }
        if (f.after() != null) {
            sql.append(" AND created_at > ?");
            args.add(f.after());
        }
        if (f.before() != null) {
            sql.append(" AND created_at < ?");
            args.add(f.before());
        }
        if (position.isPresent()) {
            // The key's parts: id, then "job", repository, job id, or "workflow", workflow id.
            List<String> parts = position.get().parts();
            sql.append(" AND (created_at, id) >= (?, ?::text COLLATE \"C\")")
                    .append(" AND (").append(LIST_ORDER).append(") > (?, ?::text COLLATE \"C\", ?,")
                    .append(" ?::text COLLATE \"C\", ?::text COLLATE \"C\")");
            args.add(position.get().at());
            args.add(parts.get(0));
            args.add(position.get().at());
            args.add(parts.get(0));
            args.add(!"job".equals(part(parts, 1)));
            args.add(part(parts, 2));
            args.add(part(parts, 3));
        }
        sql.append(" ORDER BY ").append(LIST_ORDER).append(Paging.limit(page.limit()));
        List<CheckpointInfo> rows = db.read("listing checkpoints", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                List<CheckpointInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CheckpointInfo(rs.getString("id"), scope(rs),
                                CheckpointKind.valueOf(rs.getString("kind")), Rows.instant(rs, "created_at"),
                                rs.getInt("step_index"), rs.getLong("size_bytes"), rs.getLong("revision")));
                    }
                }
                return out;
            }
        });
        return Orders.CHECKPOINTS.page(rows, page);
    }

    /** Part {@code i} of a cursor's key, or {@code ""} past its end (a workflow scope's key has one part less). */
    private static String part(List<String> parts, int i) {
        return i < parts.size() ? parts.get(i) : "";
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        Arguments.scope(scope);
        Ids.check("checkpoint id", id);
        Db.Work<Boolean> work = c -> {
            Fences.check(c, t, KIND + " '" + id + "'", fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.checkpoints()
                    + " WHERE scope_key = ? AND id = ?")) {
                ps.setString(1, scopeKey(scope));
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        };
        String what = "deleting checkpoint '" + id + "' of " + scope;
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        Arguments.scope(scope);
        Arguments.keep(scope, keep);
        Db.Work<Integer> work = c -> {
            Fences.check(c, t, "checkpoints of " + scope, fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.checkpoints() + " WHERE scope_key = ?"
                    + " AND id NOT IN (SELECT id FROM " + t.checkpoints() + " WHERE scope_key = ?"
                    + " ORDER BY created_at DESC, id DESC LIMIT ?)")) {
                ps.setString(1, scopeKey(scope));
                ps.setString(2, scopeKey(scope));
                ps.setInt(3, keep);
                return ps.executeUpdate();
            }
        };
        String what = "pruning checkpoints of " + scope;
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    private static Optional<Checkpoint> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static CheckpointScope scope(ResultSet rs) throws SQLException {
        String workflow = rs.getString("workflow_id");
        return workflow != null ? CheckpointScope.workflow(workflow)
                : CheckpointScope.job(JobRef.of(rs.getString("repo"), rs.getString("job")));
    }

    private static Checkpoint map(ResultSet rs) throws SQLException {
        JsonNode steps = Rows.json(rs, "completed_steps");
        JsonNode vars = Rows.json(rs, "variables");
        return new Checkpoint(rs.getString("id"), scope(rs), CheckpointKind.valueOf(rs.getString("kind")),
                rs.getInt("format_version"), Rows.instant(rs, "created_at"), rs.getInt("step_index"),
                Json.mapper().convertValue(steps, INTS), Json.mapper().convertValue(vars, STRINGS),
                Rows.json(rs, "state"), rs.getLong("revision"), rs.getString("write_id"));
    }

}
