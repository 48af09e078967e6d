package io.prodigy.storage.bench.layer;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.bench.support.ExtraMetrics;
import io.prodigy.storage.bench.support.LatencyRecorder;
import io.prodigy.storage.bench.support.ThreadCost;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Issue 7, benchmark 5 (spec 093: abstraction overhead below 5%): the same calls on the bare backend and on the
 * backend wrapped in the cross-cutting layers the factory applies ({@link StorageLayers#decorate}) with retry
 * (the default policy), timeout (30s), circuit breaker and metrics on and the cache off.
 * <ul>
 *   <li>{@code sessionLoad}: load a stored 4 KiB session;</li>
 *   <li>{@code eventAppend}: append one event (durable on the file backend).</li>
 * </ul>
 * Both backends run: on the file backend the layers are measured against real I/O, on the memory backend against
 * almost nothing (the worst case for a relative overhead). Score: mean time per call; extra metrics per measurement
 * iteration: latency percentiles, and the benchmark thread's CPU time ({@code cpu_per_call}, µs) and allocated bytes
 * ({@code alloc_per_call}) per call.
 *
 * <p>Each stack runs in its own JVM, and two JVMs running the same file-backend call differ by more than 5%, so the
 * report judges the file backend on {@link LayerOverheadAB} (both stacks interleaved in one JVM) when it ran.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
// Four warm-up iterations, not one: after one, a file-backend load still got faster and allocated less through every
// measurement iteration (C2 still compiling the Jackson path and, in the layered JVM, the chain), so the score was
// partly warm-up, and more of it for the stack with more code to compile.
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LayerOverheadBench {

    private static final String SESSION_ID = "session-layers-0001";

    @Param({"file", "memory"})
    public String backend;

    @Param({"bare", "layered"})
    public String stack;

    private Path dir;
    private UnifiedStorage storage;
    private final EventFactory events = new EventFactory("l");
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ThreadCost cost = new ThreadCost();
    private int measuredIterations;

    @Setup(Level.Trial)
    public void open() {
        dir = "file".equals(backend) ? BenchDirs.newScratchDir("layers") : null;
        UnifiedStorage bare = Backends.open(backend, dir);
        storage = "layered".equals(stack)
                ? StorageLayers.decorate(bare, layerConfig(backend, dir), StorageContext.system()) : bare;
        Map<String, JsonNode> metadata = Map.of("note", Json.nodes().textNode("n".repeat(4000)));
        storage.sessions().save(PersistedSession.create(SESSION_ID, Instant.now()).withState(SessionState.IN_PROGRESS)
                .withMetadata(metadata));
    }

    /** The layers measured: retry (default policy), timeout 30s, circuit breaker and metrics; cache off. */
    static StorageConfig layerConfig(String backend, Path dir) {
        return ("file".equals(backend) ? Backends.fileConfig(dir) : Backends.memoryConfig())
                .withRetryPolicy(RetryPolicy.DEFAULT)
                .withTimeout(Duration.ofSeconds(30))
                .withCache(false, StorageConfig.DEFAULT.cacheConfig())
                .withLocking(true);
    }

    @TearDown(Level.Trial)
    public void close() {
        try {
            storage.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        latency.reset();
        if ("memory".equals(backend)) {
            storage.events().deleteJob(EventFixtures.JOB); // keep the in-memory log from growing across iterations
        }
        cost.start(); // JMH runs iteration fixtures on the benchmark thread (one thread here)
    }

    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams benchmark, IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT) {
            measuredIterations++;
            ThreadCost.PerCall perCall = cost.perCall(latency.count());
            Map<String, String> params = new LinkedHashMap<>(LatencyRecorder.paramsOf(benchmark));
            params.put("iteration", Integer.toString(measuredIterations));
            String name = LatencyRecorder.benchmarkName(benchmark);
            ExtraMetrics.record(name, params, "cpu_per_call", perCall.cpuNanos() / 1_000.0, "us");
            ExtraMetrics.record(name, params, "alloc_per_call", perCall.allocatedBytes(), "bytes");
        }
        latency.publishIteration(benchmark, iteration, measuredIterations);
    }

    @Benchmark
    public PersistedSession sessionLoad() {
        long start = System.nanoTime();
        PersistedSession s = storage.sessions().load(SESSION_ID)
                .orElseThrow(() -> new IllegalStateException(stack + " " + backend + " lost " + SESSION_ID));
        latency.record(System.nanoTime() - start);
        return s;
    }

    @Benchmark
    public long eventAppend() {
        long start = System.nanoTime();
        long seq = storage.events().append(EventFixtures.JOB, List.of(events.next())).lastSequence();
        latency.record(System.nanoTime() - start);
        return seq;
    }
}
