package io.prodigy.storage.postgres;

import io.prodigy.storage.Limits;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
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

    static final String KIND = "Workflow";
    private static final String BODY = "name, version, created_at, content, metadata, tags, author";
    private static final String COLUMNS = "id, " + BODY + ", updated_at, revision";
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
        if (def == null) {
            throw new InvalidInputException("Workflow definition is missing: pass the definition to save.");
        }
        String content = Rows.jsonText(def.content());
        Limits.DEFAULT.checkPayload("content of workflow '" + def.id() + "'", Rows.utf8Length(content));
        Db.Work<WorkflowDefinition> work = c -> {
            Fences.check(c, t, def.id(), fence);
            String sql = def.revision() == 0
                    ? "INSERT INTO " + t.workflows() + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb,"
                            + " ?, ?, " + Db.NOW + ", 1) ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS
                    : "UPDATE " + t.workflows() + " SET (id, " + BODY + ", updated_at, revision) = (?, ?, ?, ?,"
                            + " ?::jsonb, ?::jsonb, ?, ?, " + Db.NOW + ", revision + 1) WHERE id = ? AND revision = ?"
                            + " RETURNING " + COLUMNS;
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
                if (def.revision() != 0) {
                    ps.setString(10, def.id());
                    ps.setLong(11, def.revision());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return map(rs);
                    }
                }
            }
            throw new VersionConflictException(KIND, def.id(), def.revision(), revisionOf(c, def.id()));
        };
        String what = "saving workflow '" + def.id() + "'";
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    private long revisionOf(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT revision FROM " + t.workflows() + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        return db.read("loading workflow '" + id + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.workflows()
                    + " WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<WorkflowDefinition>empty();
                }
            }
        });
    }

    @Override
    public List<WorkflowInfo> list(WorkflowFilter filter) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        StringBuilder sql = new StringBuilder("SELECT w.id, w.name, w.version, w.created_at, w.updated_at,"
                + " w.revision, (SELECT count(*) FROM " + t.executions() + " e WHERE e.workflow_id = w.id)"
                + " AS executions FROM " + t.workflows() + " w WHERE true");
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
        sql.append(" ORDER BY w.created_at, w.id");
        if (f.limit() > 0) {
            sql.append(" LIMIT ").append(f.limit());
        }
        return db.read("listing workflows", c -> {
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
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        Db.Work<Boolean> work = c -> {
            Fences.check(c, t, id, fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.workflows() + " WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        };
        String what = "deleting workflow '" + id + "'";
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution) {
        if (execution == null) {
            throw new InvalidInputException("Workflow execution is missing: pass the execution to record.");
        }
        String what = "recording execution '" + execution.id() + "' of workflow '" + execution.workflowId() + "'";
        try {
            return db.write(what, c -> {
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
            });
        } catch (InvalidInputException e) {
            if (e.getCause() instanceof SQLException sql && SqlErrors.isForeignKeyViolation(sql)) {
                throw new NotFoundException("workflow", execution.workflowId());
            }
            throw e;
        }
    }

    @Override
    public List<WorkflowExecution> listExecutions(String workflowId, int limit) {
        Ids.check("workflow id", workflowId);
        if (limit < 0) {
            throw new InvalidInputException("Cannot list " + limit + " executions of workflow '" + workflowId
                    + "': limit must be 0 (all) or more.");
        }
        return db.read("listing executions of workflow '" + workflowId + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EXECUTION_COLUMNS + " FROM " + t.executions()
                    + " WHERE workflow_id = ? ORDER BY started_at, id" + (limit > 0 ? " LIMIT " + limit : ""))) {
                ps.setString(1, workflowId);
                List<WorkflowExecution> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(execution(rs));
                    }
                }
                return out;
            }
        });
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
                Rows.json(rs, "metadata", WorkflowMetadata.class), rs.getLong("revision"));
    }

    private static WorkflowExecution execution(ResultSet rs) throws SQLException {
        Long micros = Rows.nullableLong(rs, "duration_micros");
        return new WorkflowExecution(rs.getString("id"), rs.getString("workflow_id"), Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"), ExecutionStatus.valueOf(rs.getString("status")),
                micros == null ? null : Duration.of(micros, ChronoUnit.MICROS));
    }
}
