package io.prodigy.storage.bench.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The SQLite baseline for events: one table {@code events} with primary key {@code (job, seq)}, holding the same
 * fields as the project's event records ({@code data} as JSON text). Appends run in one transaction that reads the
 * job's highest sequence and inserts the batch, so sequences are gap-free and the batch is all-or-nothing, as the SPI
 * requires; the commit fsyncs the WAL ({@code synchronous=FULL}).
 *
 * <p>Writers share one connection behind a lock. SQLite admits one writer at a time anyway; a connection per thread
 * only adds busy-wait back-off between writers, so this is the fastest honest setup for concurrent appends. Queries
 * use the same connection without the lock: run them from one thread, with no appends running (as the query
 * benchmark does).
 */
public final class SqliteEventStore implements AutoCloseable {

    private static final String COLUMNS = "seq, id, ts_nanos, event_type, data, correlation_id, agent_id";

    private final Connection conn;
    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final PreparedStatement maxSeq;
    private final PreparedStatement insert;

    private SqliteEventStore(Connection conn, Clock clock) throws SQLException {
        this.conn = conn;
        this.clock = clock;
        this.maxSeq = conn.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM events WHERE job = ?");
        this.insert = conn.prepareStatement("INSERT INTO events (job, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /**
     * Opens (creating the schema if needed) the store in {@code file}.
     *
     * @param timeIndex also index {@code (job, ts_nanos)}, as a user running time-range queries would; the append
     *                  benchmark leaves it out (the schema: one table indexed by job and sequence)
     */
    public static SqliteEventStore open(Path file, boolean timeIndex) throws SQLException {
        Connection c = SqliteDb.open(file);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS events (job TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,"
                    + " ts_nanos INTEGER NOT NULL, event_type TEXT NOT NULL, data TEXT NOT NULL,"
                    + " correlation_id TEXT, agent_id TEXT, PRIMARY KEY (job, seq))");
            if (timeIndex) {
                s.execute("CREATE INDEX IF NOT EXISTS events_job_time ON events (job, ts_nanos)");
            }
            c.commit();
            return new SqliteEventStore(c, Clock.systemUTC());
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Appends {@code events} to {@code job} in one durable transaction.
     *
     * @return the sequence of the last stored event
     */
    public long append(JobRef job, List<NewEvent> events) throws SQLException {
        String jobKey = key(job);
        writeLock.lock();
        try {
            long seq;
            maxSeq.setString(1, jobKey);
            try (ResultSet rs = maxSeq.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            Instant now = clock.instant();
            for (NewEvent e : events) {
                Instant at = e.timestamp() != null ? e.timestamp() : now;
                insert.setString(1, jobKey);
                insert.setLong(2, ++seq);
                insert.setString(3, e.id());
                insert.setLong(4, nanos(at));
                insert.setString(5, e.eventType());
                insert.setString(6, toJson(e.data()));
                insert.setString(7, e.correlationId());
                insert.setString(8, e.agentId());
                insert.addBatch();
            }
            insert.executeBatch();
            conn.commit();
            return seq;
        } catch (SQLException | RuntimeException e) {
            insert.clearBatch();
            conn.rollback();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** The highest sequence of {@code job}, or 0. */
    public long lastSequence(JobRef job) throws SQLException {
        writeLock.lock();
        try {
            maxSeq.setString(1, key(job));
            try (ResultSet rs = maxSeq.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Every event of {@code job} in sequence order, read lazily. Close the stream. */
    public Stream<EventRecord> queryAll(JobRef job) throws SQLException {
        PreparedStatement ps = conn.prepareStatement("SELECT " + COLUMNS + " FROM events WHERE job = ? ORDER BY seq");
        ps.setString(1, key(job));
        return stream(job, ps);
    }

    /** Events of {@code job} with {@code after < timestamp < before}, in sequence order, read lazily. */
    public Stream<EventRecord> queryTimeRange(JobRef job, Instant after, Instant before) throws SQLException {
        PreparedStatement ps = conn.prepareStatement("SELECT " + COLUMNS
                + " FROM events WHERE job = ? AND ts_nanos > ? AND ts_nanos < ? ORDER BY seq");
        ps.setString(1, key(job));
        ps.setLong(2, nanos(after));
        ps.setLong(3, nanos(before));
        return stream(job, ps);
    }

    /** The same figures as {@code EventStorage.aggregate}, computed by one GROUP BY. */
    public EventStats aggregate(JobRef job) throws SQLException {
        EventStats.Builder b = EventStats.builder(job);
        try (PreparedStatement ps = conn.prepareStatement("SELECT event_type, COUNT(*), MIN(ts_nanos), MAX(ts_nanos),"
                + " MAX(seq) FROM events WHERE job = ? GROUP BY event_type")) {
            ps.setString(1, key(job));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant min = instant(rs.getLong(3));
                    b.add(rs.getString(1), min, rs.getLong(5), rs.getLong(2));
                    b.widen(min, instant(rs.getLong(4)));
                }
            }
        }
        return b.build();
    }

    /** Ends the read transaction a query left open, so the WAL can be checkpointed. */
    public void endRead() throws SQLException {
        conn.rollback();
    }

    private Stream<EventRecord> stream(JobRef job, PreparedStatement ps) throws SQLException {
        ps.setFetchSize(1000);
        ResultSet rs;
        try {
            rs = ps.executeQuery();
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        Spliterator<EventRecord> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super EventRecord> action) {
                try {
                    if (!rs.next()) {
                        return false;
                    }
                    action.accept(new EventRecord(job, rs.getLong(1), rs.getString(2), instant(rs.getLong(3)),
                            rs.getString(4), parse(rs.getString(5)), rs.getString(6), rs.getString(7)));
                    return true;
                } catch (SQLException e) {
                    throw new IllegalStateException("SQLite read failed", e);
                }
            }
        };
        return StreamSupport.stream(split, false).onClose(() -> {
            try {
                rs.close();
                ps.close();
                conn.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not close SQLite cursor", e);
            }
        });
    }

    private static String key(JobRef job) {
        return job.repository() + "/" + job.jobId();
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static String toJson(JsonNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            maxSeq.close();
            insert.close();
        } finally {
            conn.close();
        }
    }
}
