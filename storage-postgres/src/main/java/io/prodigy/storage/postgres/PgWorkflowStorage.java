package io.prodigy.storage.postgres;

import io.prodigy.storage.Limits;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.revision.Revisions;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowMetadata;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Workflow definitions and their executions. Executions reference their definition with {@code ON DELETE CASCADE},
 * so deleting a definition removes its executions in the same statement, and recording an execution for a missing
 * definition fails on the foreign key ({@code 23503}), which becomes {@link NotFoundException}. Tags live in a
 * {@code text[]} column with a GIN index, the author in its own column, for the list filters.
 */
final class PgWorkflowStorage implements WorkflowStorage {

    static final String KIND = "workflow";
    private static final String BODY = "name, version, created_at, content, metadata, tags, author";
    private static final String COLUMNS = "id, " + BODY + ", updated_at, revision, write_id";
    private static final String EXECUTION_COLUMNS = "id, workflow_id, started_at, finished_at, status,"
            + " duration_micros";

    private final Db db;
    private final Tables t;

    PgWorkflowStorage(Db db, Tables t) {
        this.db = db;
        this.t = t;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition def, Fence fence) {
        Arguments.record("Workflow definition", def);
        String content = Rows.jsonText(def.content());
        Limits.DEFAULT.checkPayload("content of workflow '" + def.id() + "'", Rows.utf8Length(content));
        Db.Work<WorkflowDefinition> work = c -> {
            Fences.check(c, t, KIND + " '" + def.id() + "'", fence);
            for (int attempt = 1; ; attempt++) {
                String sql = def.revision() == 0
                        ? "INSERT INTO " + t.workflows() + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?::jsonb,"
                                + " ?::jsonb, ?, ?, " + Db.NOW + ", 1, ?) ON CONFLICT (id) DO NOTHING RETURNING "
                                + COLUMNS
                        : "UPDATE " + t.workflows() + " SET (id, " + BODY + ", updated_at, revision, write_id) = (?,"
                                + " ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, " + Db.NOW + ", revision + 1, ?) WHERE id = ?"
                                + " AND revision = ? RETURNING " + COLUMNS;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, def.id());
                    ps.setString(2, def.name());
                    ps.setString(3, def.version());
                    Db.bindInstant(ps, 4, def.createdAt());
                    ps.setString(5, content);
                    Rows.bindJson(ps, 6, def.metadata());
                    ps.setArray(7, Rows.textArray(c, def.metadata().tags()));
                    Rows.bindText(ps, 8, def.metadata().author());
                    db.bindNow(ps, 9);
                    ps.setString(10, def.writeId());
                    if (def.revision() != 0) {
                        ps.setString(11, def.id());
                        ps.setLong(12, def.revision());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return map(rs);
                        }
                    }
                }
                WorkflowDefinition current = read(c, def.id()).orElse(null);
                if (Revisions.workflow(def, current, def.updatedAt()).alreadyStored()) {
                    return current; // this write, applied by an attempt whose reply was lost
                }
                if (attempt >= 3) {
                    throw new VersionConflictException(KIND, def.id(), def.revision(),
                            current == null ? 0 : current.revision());
                }
            }
        };
        String what = "saving workflow '" + def.id() + "'";
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    private Optional<WorkflowDefinition> read(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.workflows()
                + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.<WorkflowDefinition>empty();
            }
        }
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        return db.read("loading workflow '" + id + "'", c -> read(c, id));
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        Optional<PageKey> position = Orders.WORKFLOWS.position(page);
        StringBuilder sql = new StringBuilder("WITH page AS (SELECT w.id, w.name, w.version, w.created_at,"
                + " w.updated_at, w.revision FROM " + t.workflows() + " w WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.name() != null) {
            sql.append(" AND w.name = ?");
            args.add(f.name());
        }
        if (f.tag() != null) {
            sql.append(" AND w.tags @> ARRAY[?::text]");
            args.add(f.tag());
        }
        if (f.author() != null) {
            sql.append(" AND w.author = ?");
            args.add(f.author());
        }
        if (f.after() != null) {
            sql.append(" AND w.created_at > ?");
            args.add(f.after());
        }
        if (f.before() != null) {
            sql.append(" AND w.created_at < ?");
            args.add(f.before());
        }
        Paging.after(position, "w.created_at", List.of("w.id"), sql, args);
        sql.append(" ORDER BY w.created_at, w.id").append(Paging.limit(page.limit())).append(')')
                // The page's execution counts in one aggregate over the executions of the page's workflows only
                // (their primary key's range), joined to the page: no subquery per row.
                .append(", counts AS (SELECT e.workflow_id, count(*) AS n FROM ").append(t.executions())
                .append(" e JOIN page p ON e.workflow_id = p.id GROUP BY e.workflow_id)")
                .append(" SELECT p.*, COALESCE(c.n, 0) AS executions FROM page p")
                .append(" LEFT JOIN counts c ON c.workflow_id = p.id ORDER BY p.created_at, p.id");
        List<WorkflowInfo> rows = db.read("listing workflows", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                List<WorkflowInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new WorkflowInfo(rs.getString("id"), rs.getString("name"), rs.getString("version"),
                                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"),
                                rs.getLong("executions"), rs.getLong("revision")));
                    }
                }
                return out;
            }
        });
        return Orders.WORKFLOWS.page(rows, page);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        Db.Work<Boolean> work = c -> {
            Fences.check(c, t, KIND + " '" + id + "'", fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.workflows() + " WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        };
        String what = "deleting workflow '" + id + "'";
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        if (execution == null) {
            throw new InvalidInputException("Workflow execution is missing: pass the execution to record.");
        }
        String what = "recording execution '" + execution.id() + "' of workflow '" + execution.workflowId() + "'";
        Db.Work<WorkflowExecution> work = c -> {
            Fences.check(c, t, "execution '" + execution.id() + "' of workflow '" + execution.workflowId() + "'",
                    fence);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.executions() + " ("
                    + EXECUTION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workflow_id, id) DO UPDATE"
                    + " SET started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
                    + " status = EXCLUDED.status, duration_micros = EXCLUDED.duration_micros"
                    + " RETURNING " + EXECUTION_COLUMNS)) {
                ps.setString(1, execution.id());
                ps.setString(2, execution.workflowId());
                Db.bindInstant(ps, 3, execution.startedAt());
                Db.bindInstant(ps, 4, execution.finishedAt());
                ps.setString(5, execution.status().name());
                if (execution.duration() == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, Micros.of(execution.duration()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return execution(rs);
                }
            }
        };
        try {
            return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
        } catch (InvalidInputException e) {
            if (e.getCause() instanceof SQLException sql && SqlErrors.isForeignKeyViolation(sql)) {
                throw new NotFoundException(KIND, execution.workflowId());
            }
            throw e;
        }
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        Ids.check("workflow id", workflowId);
        Keyset<WorkflowExecution> keyset = Orders.executionsOf(workflowId);
        Optional<PageKey> position = keyset.position(page);
        StringBuilder sql = new StringBuilder("SELECT " + EXECUTION_COLUMNS + " FROM " + t.executions()
                + " WHERE workflow_id = ?");
        List<Object> args = new ArrayList<>(List.of(workflowId));
        Paging.after(position, "started_at", List.of("id"), sql, args);
        sql.append(" ORDER BY started_at, id").append(Paging.limit(page.limit()));
        List<WorkflowExecution> rows = db.read("listing executions of workflow '" + workflowId + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                List<WorkflowExecution> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(execution(rs));
                    }
                }
                return out;
            }
        });
        return keyset.page(rows, page);
    }

    @Override
    public long executionCount(String workflowId) {
        Ids.check("workflow id", workflowId);
        return db.read("counting executions of workflow '" + workflowId + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + t.executions()
                    + " WHERE workflow_id = ?")) {
                ps.setString(1, workflowId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static WorkflowDefinition map(ResultSet rs) throws SQLException {
        return new WorkflowDefinition(rs.getString("id"), rs.getString("name"), rs.getString("version"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), Rows.json(rs, "content"),
                Rows.json(rs, "metadata", WorkflowMetadata.class), rs.getLong("revision"), rs.getString("write_id"));
    }

    private static WorkflowExecution execution(ResultSet rs) throws SQLException {
        Long micros = Rows.nullableLong(rs, "duration_micros");
        return new WorkflowExecution(rs.getString("id"), rs.getString("workflow_id"), Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"), ExecutionStatus.valueOf(rs.getString("status")),
                micros == null ? null : Duration.of(micros, ChronoUnit.MICROS));
    }
}
