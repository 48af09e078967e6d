package io.prodigy.storage.bench.postgres;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Durable append to one job on PostgreSQL, by 1, 4 or 16 threads, batches of 1 or 100 events of 256 bytes:
 * <ul>
 *   <li>{@code postgres}: {@code events().append} of the backend (one statement: sequence allocation on the job's
 *       row and one insert into {@code events}, whose unique index on the event id makes it idempotent;
 *       {@code pg_notify} only while another process subscribes);</li>
 *   <li>{@code raw}: the limit, a JDBC batch insert of the same rows into a table of the same shape
 *       ({@code raw_events}, made {@code LIKE events INCLUDING ALL}: same columns, keys and indexes) with the same
 *       durability (auto-commit, the server's {@code synchronous_commit}), sequences handed out in memory, each thread
 *       on a connection of its own with {@code reWriteBatchedInserts};</li>
 *   <li>{@code alternating}: all threads on one side, then all on the other, switching every 200 ms
 *       ({@link SideBySide#backendPhase}); {@code backendUnits} and {@code baselineUnits} count each side's events
 *       in equal shares of the time, so their quotient is the ratio under the same load.</li>
 * </ul>
 * Score: events per second (all threads). After the trial the two tables must hold exactly the acknowledged events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PgAppendBench {

    static final JobRef JOB = EventFixtures.JOB;

    @Param({"postgres", "raw", "alternating"})
    public String impl;

    @Param({"1", "100"})
    public int batch;

    String schema;
    UnifiedStorage storage;
    final AtomicLong nextSeq = new AtomicLong(1);
    final LongAdder acknowledged = new LongAdder();

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PgBenchServer.newSchema("append");
        storage = PgBenchServer.open(schema, 16);
        PgBenchServer.execute("CREATE TABLE \"" + schema + "\".raw_events (LIKE \"" + schema + "\".events"
                + " INCLUDING ALL)");
    }

    @TearDown(Level.Trial)
    public void verifyAndClose() throws Exception {
        try (Connection c = PgBenchServer.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM \"" + schema + "\".events)"
                        + " + (SELECT count(*) FROM \"" + schema + "\".raw_events)")) {
            rs.next();
            if (rs.getLong(1) != acknowledged.sum()) {
                throw new IllegalStateException(impl + " stored " + rs.getLong(1) + " events, "
                        + acknowledged.sum() + " were acknowledged");
            }
        } finally {
            storage.close();
            try {
                reportGroups();
            } finally {
                PgBenchServer.dropSchema(schema);
            }
        }
    }

    /**
     * Prints how many events the backend's statements carried on average (group commit): the rows inserted into
     * {@code events} over the upserts of {@code event_jobs}, one per append statement, from the server's statistics
     * (complete once the storage's connections are closed; warm-up included).
     */
    private void reportGroups() throws Exception {
        Thread.sleep(500); // the closed connections' backends report their counts as they exit
        try (Connection c = PgBenchServer.connect(); PreparedStatement ps = c.prepareStatement("SELECT"
                + " (SELECT n_tup_ins FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'events'),"
                + " (SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables WHERE schemaname = ?"
                + " AND relname = 'event_jobs')")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long events = rs.getLong(1);
                long statements = rs.getLong(2);
                System.out.printf("%nappend statements: %d, events per statement: %.1f%n", statements,
                        statements == 0 ? 0.0 : (double) events / statements);
            }
        }
    }

    /** One benchmark thread's writer. */
    @State(Scope.Thread)
    public static class Writer {
        EventFactory events;
        Connection connection;
        PreparedStatement insert;
        PgAppendBench bench;

        @Setup(Level.Trial)
        public void setUp(PgAppendBench bench, ThreadParams thread) throws Exception {
            this.bench = bench;
            events = new EventFactory(String.format("t%02d", thread.getThreadIndex()));
            if (!"postgres".equals(bench.impl)) {
                connection = java.sql.DriverManager.getConnection(PgBenchServer.URL + "?reWriteBatchedInserts=true",
                        PgBenchServer.USER, PgBenchServer.PASSWORD);
                insert = connection.prepareStatement("INSERT INTO \"" + bench.schema + "\".raw_events (repo, job,"
                        + " seq, event_id, ts, event_type, data, correlation_id, agent_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (connection != null) {
                connection.close();
            }
        }

        int append(SideBySide sides) throws Exception {
            List<NewEvent> list = events.batch(bench.batch);
            boolean backend = switch (bench.impl) {
                case "postgres" -> true;
                case "raw" -> false;
                default -> SideBySide.backendPhase();
            };
            if (backend) {
                int n = bench.storage.events().append(JOB, list).appended();
                sides.backendUnits += n;
                return n;
            }
            sides.baselineUnits += list.size();
            long first = bench.nextSeq.getAndAdd(list.size());
            java.time.OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
            for (int i = 0; i < list.size(); i++) {
                NewEvent e = list.get(i);
                insert.setString(1, JOB.repository());
                insert.setString(2, JOB.jobId());
                insert.setLong(3, first + i);
                insert.setString(4, e.id());
                insert.setObject(5, now);
                insert.setString(6, e.eventType());
                insert.setString(7, Json.mapper().writeValueAsString(e.data()));
                insert.setString(8, e.correlationId());
                insert.setString(9, e.agentId());
                insert.addBatch();
            }
            insert.executeBatch();
            return list.size();
        }
    }

    /** Events appended, reported by JMH as events per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    private static void appendOnce(Writer w, Events counter, SideBySide sides) throws Exception {
        int n = w.append(sides);
        w.bench.acknowledged.add(n);
        counter.events += n;
    }

    @Benchmark
    @Threads(1)
    public void threads01(Writer w, Events counter, SideBySide sides) throws Exception {
        appendOnce(w, counter, sides);
    }

    @Benchmark
    @Threads(4)
    public void threads04(Writer w, Events counter, SideBySide sides) throws Exception {
        appendOnce(w, counter, sides);
    }

    @Benchmark
    @Threads(16)
    public void threads16(Writer w, Events counter, SideBySide sides) throws Exception {
        appendOnce(w, counter, sides);
    }
}
