package io.prodigy.storage.bench.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.XAddParams;

/**
 * Issue 12: appends of 100 events to one job on Redis, one thread. Score: events per second.
 * <ul>
 *   <li>{@code store}: {@code events().append}, one {@code EVALSHA} of {@code ev_append.lua} (dedupe by id, sequence
 *       allocation, figures, jobs index, hint);</li>
 *   <li>{@code raw}: the physical limit, a Jedis pipeline sending the same writes in one round trip without the
 *       script's reads and atomicity: per event {@code XADD} with the same fields and {@code HSET} of its id, then
 *       the job's figures ({@code HSET hw}, {@code HINCRBY} count and type), the jobs index and the hint.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RedisAppendBench {

    static final int BATCH = 100;

    @Param({"store", "raw"})
    public String impl;

    private String prefix;
    private UnifiedStorage storage;
    private Jedis raw;
    private JobRef job;
    private long next;
    private final JsonNode data = Json.nodes().objectNode().put("step", 3).put("message", "agent finished step");
    private final String dataJson = data.toString();

    @Setup(Level.Trial)
    public void open() {
        prefix = RedisTarget.newPrefix("append");
        job = JobRef.of("bench", "append-" + impl);
        storage = RedisTarget.open(prefix);
        raw = RedisTarget.raw();
    }

    @TearDown(Level.Trial)
    public void close() {
        storage.events().deleteJob(job);
        raw.del("{" + prefix + "}raw", "{" + prefix + "}raw.i", "{" + prefix + "}raw.m", "{" + prefix + "}raw.jobs");
        raw.close();
        storage.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long append() {
        return "store".equals(impl) ? store() : raw();
    }

    private long store() {
        List<NewEvent> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(new NewEvent("e" + (next++), null, "agent_completed", data, null, "agent-1"));
        }
        return storage.events().append(job, batch).lastSequence();
    }

    private long raw() {
        String stream = "{" + prefix + "}raw";
        String ids = "{" + prefix + "}raw.i";
        String meta = "{" + prefix + "}raw.m";
        String stamp = "063908000000000000000";
        try (Pipeline p = raw.pipelined()) {
            for (int i = 0; i < BATCH; i++) {
                long seq = ++next;
                String id = "e" + seq;
                p.xadd(stream, XAddParams.xAddParams().id(seq + "-0"), java.util.Map.of("i", id, "t", stamp,
                        "y", "agent_completed", "d", dataJson, "c", "", "a", "=agent-1"));
                p.hset(ids, id, Long.toString(seq));
            }
            p.hset(meta, "hw", Long.toString(next));
            p.hincrBy(meta, "n", BATCH);
            p.hincrBy(meta, "y:agent_completed", BATCH);
            p.zadd("{" + prefix + "}raw.jobs", 0, "bench\u0000raw");
            p.publish("{" + prefix + "}events", "bench\u0000raw");
        }
        return next;
    }
}
