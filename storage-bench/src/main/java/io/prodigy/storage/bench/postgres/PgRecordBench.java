package io.prodigy.storage.bench.postgres;

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
 *   <li>{@code raw}: the backend's two statements issued with JDBC on a connection of its own, with the same
 *       parameters (metadata serialized and a write id drawn each time too) and every column read back.</li>
 * </ul>
 * {@code alternating} runs one of each in turn ({@link SideBySide}): the ratio under the same load. Score: save +
 * load pairs per second.
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

    @Param({"postgres", "raw", "alternating"})
    public String impl;

    String schema;
    UnifiedStorage storage;
    PersistedSession session;
    PersistedSession rawSession;
    Connection connection;
    PreparedStatement update;
    PreparedStatement select;
    long revision;
    final Map<String, com.fasterxml.jackson.databind.JsonNode> metadata = Map.of(
            "branch", Json.nodes().textNode("feature/bench"), "attempt", Json.nodes().numberNode(3),
            "labels", Json.nodes().arrayNode().add("a").add("b"));

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PgBenchServer.newSchema("record");
        storage = PgBenchServer.open(schema, 4);
        session = storage.sessions().save(PersistedSession.create("session-bench", Instant.now())
                .withMetadata(metadata).withWorktreeName("wt-1"));
        rawSession = storage.sessions().save(PersistedSession.create("session-raw", Instant.now())
                .withMetadata(metadata).withWorktreeName("wt-1"));
        revision = rawSession.revision();
        if (!"postgres".equals(impl)) {
            String t = "\"" + schema + "\".sessions";
            connection = PgBenchServer.connect();
            update = connection.prepareStatement("UPDATE " + t + " SET state = ?, started_at = ?, updated_at ="
                    + " COALESCE(?::timestamptz, statement_timestamp()), iterations_completed = ?, files_changed = ?,"
                    + " worktree_name = ?, metadata = ?::jsonb, revision = revision + 1, write_id = ? WHERE id = ? AND"
                    + " revision = ? RETURNING " + STAMP);
            select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + t + " WHERE id = ?");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        storage.close();
        PgBenchServer.dropSchema(schema);
    }

    @Benchmark
    public Object saveAndLoad(SideBySide sides) throws Exception {
        return switch (impl) {
            case "postgres" -> backend();
            case "raw" -> raw();
            default -> sides.both(this::backend, this::raw);
        };
    }

    private Object backend() {
        session = storage.sessions().save(session.withState(SessionState.IN_PROGRESS));
        return storage.sessions().load(session.id()).orElseThrow();
    }

    /** The same two statements, on a session row of their own (the backend's revisions are not theirs). */
    private Object raw() throws Exception {
        update.setString(1, SessionState.IN_PROGRESS.name());
        update.setObject(2, rawSession.startedAt().atOffset(ZoneOffset.UTC));
        update.setNull(3, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        update.setInt(4, 0);
        update.setInt(5, 0);
        update.setString(6, "wt-1");
        update.setString(7, Json.mapper().writeValueAsString(metadata));
        update.setString(8, WriteIds.next());
        update.setString(9, rawSession.id());
        update.setLong(10, revision);
        try (ResultSet rs = update.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("revision conflict");
            }
            revision = rs.getLong("revision");
        }
        select.setString(1, rawSession.id());
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            for (int i = 1; i <= 10; i++) {
                rs.getString(i);
            }
            return rs.getLong("revision");
        }
    }
}
