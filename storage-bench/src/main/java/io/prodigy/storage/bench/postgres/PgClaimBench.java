package io.prodigy.storage.bench.postgres;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.id.JobRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * DLQ claims by four threads, ten items per claim, from a queue of 2,000 items whose claims lapse at once (a lease
 * of one microsecond), so the queue never drains and every claim competes for the oldest items:
 * <ul>
 *   <li>{@code postgres}: {@code dlq().claim} of the backend (rows mapped to {@code DlqItem}s, history parsed);</li>
 *   <li>{@code dbscheduler}: db-scheduler's single-statement claim, {@code UPDATE … WHERE (key) IN (SELECT … FOR
 *       UPDATE SKIP LOCKED LIMIT n) RETURNING …}, issued with JDBC on the same table, each thread on a connection
 *       of its own, every returned column read.</li>
 * </ul>
 * Score: items claimed per second (all threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PgClaimBench {

    static final JobRef QUEUE = JobRef.of("bench-repo", "bench-queue");
    static final int ITEMS = 2_000;
    static final int PER_CLAIM = 10;
    static final Duration LEASE = Duration.ofNanos(1_000);

    @Param({"postgres", "dbscheduler"})
    public String impl;

    String schema;
    UnifiedStorage storage;

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PgBenchServer.newSchema("claim");
        storage = PgBenchServer.open(schema, 8);
        PgBenchServer.execute("INSERT INTO \"" + schema + "\".dlq_items (repo, job, item_id, work_item, enqueued_at,"
                + " last_failed_at, retry_count, last_error, metadata, history) SELECT '" + QUEUE.repository()
                + "', '" + QUEUE.jobId() + "', 'item-' || lpad(g::text, 6, '0'), '{\"task\": 1}', now() + g *"
                + " interval '1 millisecond', now(), 0, 'boom', '{}', jsonb_build_array(jsonb_build_object("
                + "'at_micros', 0, 'error', 'boom')) FROM generate_series(1, " + ITEMS + ") g");
    }

    @TearDown(Level.Trial)
    public void close() {
        storage.close();
        PgBenchServer.dropSchema(schema);
    }

    /** One thread's claimer. */
    @State(Scope.Thread)
    public static class Claimer {
        PgClaimBench bench;
        String worker;
        Connection connection;
        PreparedStatement claim;

        @Setup(Level.Trial)
        public void setUp(PgClaimBench bench, ThreadParams thread) throws Exception {
            this.bench = bench;
            worker = "worker-" + thread.getThreadIndex();
            if ("dbscheduler".equals(bench.impl)) {
                connection = PgBenchServer.connect();
                String t = "\"" + bench.schema + "\".dlq_items";
                claim = connection.prepareStatement("UPDATE " + t + " st1 SET claim_token = gen_random_uuid()::text,"
                        + " claim_worker = ?, claimed_at = now(), claim_expires_at = now() + interval '1 microsecond'"
                        + " WHERE (st1.repo, st1.job, st1.item_id) IN (SELECT st2.repo, st2.job, st2.item_id FROM "
                        + t + " st2 WHERE st2.repo = ? AND st2.job = ? AND (st2.claim_expires_at IS NULL"
                        + " OR st2.claim_expires_at <= now()) ORDER BY st2.enqueued_at, st2.item_id"
                        + " FOR UPDATE SKIP LOCKED LIMIT ?) RETURNING st1.*");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (connection != null) {
                connection.close();
            }
        }

        int claimOnce() throws Exception {
            if (claim == null) {
                return bench.storage.dlq().claim(QUEUE, worker, PER_CLAIM, LEASE).size();
            }
            claim.setString(1, worker);
            claim.setString(2, QUEUE.repository());
            claim.setString(3, QUEUE.jobId());
            claim.setInt(4, PER_CLAIM);
            int n = 0;
            try (ResultSet rs = claim.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getString(i);
                    }
                    n++;
                }
            }
            return n;
        }
    }

    /** Items claimed, reported by JMH as items per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Items {
        public long items;

        @Setup(Level.Iteration)
        public void reset() {
            items = 0;
        }
    }

    @Benchmark
    @Threads(4)
    public void claim10(Claimer c, Items counter) throws Exception {
        counter.items += c.claimOnce();
    }
}
