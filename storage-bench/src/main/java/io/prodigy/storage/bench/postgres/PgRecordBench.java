package io.prodigy.storage.bench.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.support.revision.WriteIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A session saved (an update with its revision) and loaded back, one thread, spec 093's "abstraction overhead under
 * 5%":
 * <ul>
 *   <li>{@code postgres}: {@code sessions().save} + {@code load} of the backend (pooled connection, JSON metadata
 *       written and parsed, records built);</li>
 *   <li>{@code raw}: the backend's two statements issued with JDBC as a user writing them raw would: a connection
 *       checked out of a HikariCP pool set up as the backend's ({@link PgBenchServer#pool}) for each, the statement
 *       prepared on it, the same parameters (metadata serialized and a write id drawn each time too), every column read
 *       back;</li>
 *   <li>{@code raw-connection}: the stricter figure, the same statements prepared once on one connection the
 *       benchmark holds, no pool.</li>
 * </ul>
 * The raw sides work on session rows of their own (the backend's revisions are not theirs). {@code alternating} runs
 * one of each in turn ({@link ThreeSides}): the ratios under the same load. Score: save + load pairs per second (of
 * all sides together in {@code alternating}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PgRecordBench {

    /** The backend's columns as it reads them (times as microseconds, as {@code PgSessionStorage} does). */
    static final String COLUMNS = "id, state, (EXTRACT(EPOCH FROM started_at) * 1000000)::int8 AS started_us,"
            + " (EXTRACT(EPOCH FROM updated_at) * 1000000)::int8 AS updated_us, iterations_completed, files_changed,"
            + " worktree_name, metadata, revision, write_id";
    /** What the backend's update returns. */
    static final String STAMP = "revision, (EXTRACT(EPOCH FROM updated_at) * 1000000)::int8 AS updated_us";

    @Param({"postgres", "raw", "raw-connection", "alternating"})
    public String impl;

    /** {@code logged}, or {@code unlogged} for a CPU probe ({@link PgBenchServer#tables}). */
    @Param({"logged"})
    public String tables;

    String schema;
    UnifiedStorage storage;
    PersistedSession session;
    String updateSql;
    String selectSql;
    /** The pooled raw side's row and revision. */
    PersistedSession pooledSession;
    long pooledRevision;
    HikariDataSource pool;
    /** The dedicated-connection side's row, revision and statements. */
    PersistedSession rawSession;
    long revision;
    Connection connection;
    PreparedStatement update;
    PreparedStatement select;
    final Map<String, com.fasterxml.jackson.databind.JsonNode> metadata = Map.of(
            "branch", Json.nodes().textNode("feature/bench"), "attempt", Json.nodes().numberNode(3),
            "labels", Json.nodes().arrayNode().add("a").add("b"));

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PgBenchServer.newSchema("record");
        storage = PgBenchServer.open(schema, 4);
        PgBenchServer.tables(schema, tables, "sessions");
        session = storage.sessions().save(PersistedSession.create("session-bench", Instant.now())
                .withMetadata(metadata).withWorktreeName("wt-1"));
        pooledSession = storage.sessions().save(PersistedSession.create("session-pooled", Instant.now())
                .withMetadata(metadata).withWorktreeName("wt-1"));
        pooledRevision = pooledSession.revision();
        rawSession = storage.sessions().save(PersistedSession.create("session-raw", Instant.now())
                .withMetadata(metadata).withWorktreeName("wt-1"));
        revision = rawSession.revision();
        String t = "\"" + schema + "\".sessions";
        updateSql = "UPDATE " + t + " SET state = ?, started_at = ?, updated_at ="
                + " COALESCE(?::timestamptz, statement_timestamp()), iterations_completed = ?, files_changed = ?,"
                + " worktree_name = ?, metadata = ?::jsonb, revision = revision + 1, write_id = ? WHERE id = ? AND"
                + " revision = ? RETURNING " + STAMP;
        selectSql = "SELECT " + COLUMNS + " FROM " + t + " WHERE id = ?";
        if ("raw".equals(impl) || "alternating".equals(impl)) {
            pool = PgBenchServer.pool("records", 4);
        }
        if ("raw-connection".equals(impl) || "alternating".equals(impl)) {
            connection = PgBenchServer.connect();
            update = connection.prepareStatement(updateSql);
            select = connection.prepareStatement(selectSql);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (pool != null) {
            pool.close();
        }
        storage.close();
        PgBenchServer.dropSchema(schema);
    }

    @Benchmark
    public Object saveAndLoad(ThreeSides sides) throws Exception {
        return switch (impl) {
            case "postgres" -> backend();
            case "raw" -> pooled();
            case "raw-connection" -> dedicated();
            default -> sides.all(this::backend, this::pooled, this::dedicated);
        };
    }

    private Object backend() {
        session = storage.sessions().save(session.withState(SessionState.IN_PROGRESS));
        return storage.sessions().load(session.id()).orElseThrow();
    }

    /** The two statements, each on a connection from the pool, prepared there (as the backend does). */
    private Object pooled() throws Exception {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(updateSql)) {
            pooledRevision = update(ps, pooledSession, pooledRevision);
        }
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(selectSql)) {
            return load(ps, pooledSession);
        }
    }

    /** The two statements, prepared once on the benchmark's own connection. */
    private Object dedicated() throws Exception {
        revision = update(update, rawSession, revision);
        return load(select, rawSession);
    }

    private long update(PreparedStatement ps, PersistedSession row, long expected) throws Exception {
        ps.setString(1, SessionState.IN_PROGRESS.name());
        ps.setObject(2, row.startedAt().atOffset(ZoneOffset.UTC));
        ps.setNull(3, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setInt(4, 0);
        ps.setInt(5, 0);
        ps.setString(6, "wt-1");
        ps.setString(7, Json.mapper().writeValueAsString(metadata));
        ps.setString(8, WriteIds.next());
        ps.setString(9, row.id());
        ps.setLong(10, expected);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("revision conflict");
            }
            return rs.getLong("revision");
        }
    }

    private static Object load(PreparedStatement ps, PersistedSession row) throws Exception {
        ps.setString(1, row.id());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            for (int i = 1; i <= 10; i++) {
                rs.getString(i);
            }
            return rs.getLong("revision");
        }
    }
}
