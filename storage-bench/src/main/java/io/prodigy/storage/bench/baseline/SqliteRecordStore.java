package io.prodigy.storage.bench.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;

/**
 * The SQLite baseline for whole records (sessions and checkpoints): a table {@code records(kind, id, revision, body)}
 * with the record serialized by the project's {@link Json#mapper()}. Saves follow the SPI's optimistic-concurrency
 * rule (revision 0 inserts, revision n updates only a stored revision n, and the stored copy gets n + 1) inside one
 * durable transaction. Single-threaded use.
 */
public final class SqliteRecordStore implements AutoCloseable {

    private final Connection conn;
    private final Clock clock = Clock.systemUTC();
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement select;

    private SqliteRecordStore(Connection conn) throws SQLException {
        this.conn = conn;
        this.insert = conn.prepareStatement("INSERT OR IGNORE INTO records (kind, id, revision, body) VALUES (?, ?, ?, ?)");
        this.update = conn.prepareStatement(
                "UPDATE records SET revision = ?, body = ? WHERE kind = ? AND id = ? AND revision = ?");
        this.select = conn.prepareStatement("SELECT body FROM records WHERE kind = ? AND id = ?");
    }

    public static SqliteRecordStore open(Path file) throws SQLException {
        Connection c = SqliteDb.open(file);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL,"
                    + " revision INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id))");
            c.commit();
            return new SqliteRecordStore(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Creates or updates {@code session}; returns the stored copy with its new revision. */
    public PersistedSession saveSession(PersistedSession session) throws SQLException {
        PersistedSession stored = session.stored(session.revision() + 1, clock.instant());
        write("session", session.id(), session.revision(), toJson(stored));
        return stored;
    }

    public Optional<PersistedSession> loadSession(String id) throws SQLException {
        return read("session", id).map(body -> fromJson(body, PersistedSession.class));
    }

    /** Creates or updates {@code checkpoint}; returns the stored copy with its new revision. */
    public Checkpoint saveCheckpoint(Checkpoint checkpoint) throws SQLException {
        Checkpoint stored = checkpoint.withRevision(checkpoint.revision() + 1);
        write("checkpoint", scopedId(checkpoint), checkpoint.revision(), toJson(stored));
        return stored;
    }

    public Optional<Checkpoint> loadCheckpoint(Checkpoint like) throws SQLException {
        return read("checkpoint", scopedId(like)).map(body -> fromJson(body, Checkpoint.class));
    }

    private void write(String kind, String id, long expectedRevision, String body) throws SQLException {
        try {
            int changed;
            if (expectedRevision == 0) {
                insert.setString(1, kind);
                insert.setString(2, id);
                insert.setLong(3, 1);
                insert.setString(4, body);
                changed = insert.executeUpdate();
            } else {
                update.setLong(1, expectedRevision + 1);
                update.setString(2, body);
                update.setString(3, kind);
                update.setString(4, id);
                update.setLong(5, expectedRevision);
                changed = update.executeUpdate();
            }
            if (changed != 1) {
                throw new VersionConflictException(kind, id, expectedRevision, storedRevision(kind, id));
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        }
    }

    private long storedRevision(String kind, String id) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT revision FROM records WHERE kind = ? AND id = ?")) {
            ps.setString(1, kind);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private Optional<String> read(String kind, String id) throws SQLException {
        select.setString(1, kind);
        select.setString(2, id);
        try (ResultSet rs = select.executeQuery()) {
            Optional<String> body = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            conn.rollback(); // end the read transaction so WAL checkpoints are not held back
            return body;
        }
    }

    private static String scopedId(Checkpoint c) {
        return c.scope() + "/" + c.id();
    }

    private static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T fromJson(String body, Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read a " + type.getSimpleName() + " back from SQLite", e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            insert.close();
            update.close();
            select.close();
        } finally {
            conn.close();
        }
    }
}
