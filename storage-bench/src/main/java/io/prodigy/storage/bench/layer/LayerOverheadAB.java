package io.prodigy.storage.bench.layer;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.bench.support.ExtraMetrics;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link LayerOverheadBench}'s cells measured interleaved, for a machine whose load swings: the same backend is called
 * bare and through the layers in alternating batches (ABBA order), so both see the same load; the overhead is the
 * median over rounds of (layered − bare) per call, in wall-clock time and in the calling thread's CPU time (which a
 * loaded machine disturbs far less, but which does not see time spent waiting for another thread). Outside JMH (warm-up rounds first), so it also runs against an
 * older build's classes (put this class and {@link LayerOverheadBench} before the older benchmarks.jar):
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.layer.LayerOverheadAB [ROUNDS]</pre>
 *
 * <p>With {@code -Dbench.extraFile} set ({@code bench/run.sh} does), each measured round is also written as extra
 * metrics of {@code LayerOverheadAB.<operation>} ({@code bare_wall_ns}, {@code layered_wall_ns}, {@code bare_cpu_ns},
 * {@code layered_cpu_ns}, per call), from which the report judges the file backend's layer overhead: separate JMH
 * forks differ from each other by more than the 5% being judged (docs/perf.md, "Layers on the file backend").
 *
 * <p>Why interleaving does not hide a cost the layered path has on its own: the layered chain is compiled the same
 * way in this JVM as in a JVM that runs only it (the chain's {@code Invocation.proceed} is a compiled method of its
 * own that calls the interceptors through a megamorphic site in both), and the backend code both sides share does the
 * same work for both. What it removes is what differs between two JVMs: when the JIT finished, which code it
 * inlined where, and the load and disk state of the minutes between them.
 */
public final class LayerOverheadAB {

    private static final String SESSION_ID = "session-layers-0001";
    /**
     * Rounds before measuring. A layered file-backend load still got faster (and allocated less) after 30,000 calls
     * while C2 was compiling the Jackson path, so warm-up runs well past that: 20 rounds of 2,000 loads per side.
     */
    private static final int WARMUP_ROUNDS = 20;
    private static long sink;

    private LayerOverheadAB() {}

    /** One operation on one storage. */
    private interface Op {
        long run(UnifiedStorage s);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        System.out.printf("%-12s %-7s | %12s %12s %12s %9s | %12s %12s %12s %9s%n", "operation", "backend",
                "bare ns", "layered ns", "overhead ns", "overhead", "bare cpu ns", "layered cpu", "overhead", "overhead");
        for (String backend : List.of("memory", "file")) {
            boolean file = "file".equals(backend);
            EventFactory events = new EventFactory("l");
            measure(backend, "sessionLoad", file ? 2_000 : 50_000, rounds,
                    s -> s.sessions().load(SESSION_ID).orElseThrow().revision());
            measure(backend, "eventAppend", file ? 50 : 5_000, rounds,
                    s -> s.events().append(EventFixtures.JOB, List.of(events.next())).lastSequence());
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }

    private static void measure(String backend, String name, int batch, int rounds, Op op) {
        Path dir = "file".equals(backend) ? BenchDirs.newScratchDir("layers-ab") : null;
        UnifiedStorage bare = Backends.open(backend, dir);
        StorageConfig config = LayerOverheadBench.layerConfig(backend, dir);
        try (UnifiedStorage layered = StorageLayers.decorate(bare, config, StorageContext.system())) {
            Map<String, JsonNode> metadata = Map.of("note", Json.nodes().textNode("n".repeat(4000)));
            bare.sessions().save(PersistedSession.create(SESSION_ID, Instant.now())
                    .withState(SessionState.IN_PROGRESS).withMetadata(metadata));
            double[][] bareNs = new double[2][rounds];
            double[][] layeredNs = new double[2][rounds];
            double[][] diff = new double[2][rounds];
            for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                if ("memory".equals(backend)) {
                    bare.events().deleteJob(EventFixtures.JOB); // keep the in-memory log from growing
                }
                boolean bareFirst = (r & 1) == 0;
                double[] a = bareFirst ? time(bare, op, batch) : null;
                double[] b = time(layered, op, batch);
                if (!bareFirst) {
                    a = time(bare, op, batch);
                }
                for (int k = 0; r >= 0 && k < 2; k++) {
                    bareNs[k][r] = a[k];
                    layeredNs[k][r] = b[k];
                    diff[k][r] = b[k] - a[k];
                }
            }
            record(backend, name, "bare_wall_ns", bareNs[0]);
            record(backend, name, "layered_wall_ns", layeredNs[0]);
            record(backend, name, "bare_cpu_ns", bareNs[1]);
            record(backend, name, "layered_cpu_ns", layeredNs[1]);
            System.out.printf("%-12s %-7s", name, backend);
            for (int k = 0; k < 2; k++) {
                double mb = median(bareNs[k]);
                double md = median(diff[k]);
                System.out.printf(" | %12.0f %12.0f %12.0f %8.1f%%", mb, median(layeredNs[k]), md, 100 * md / mb);
            }
            System.out.println();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** One value per measured round, as {@code LayerOverheadAB.<operation>}'s extra metric, when they are collected. */
    private static void record(String backend, String operation, String metric, double[] perRound) {
        if (!ExtraMetrics.collected()) {
            return;
        }
        for (int r = 0; r < perRound.length; r++) {
            ExtraMetrics.record("LayerOverheadAB." + operation,
                    Map.of("backend", backend, "iteration", Integer.toString(r + 1)), metric, perRound[r], "ns");
        }
    }

    /** Wall-clock and thread CPU nanoseconds per call over one batch. */
    private static double[] time(UnifiedStorage s, Op op, int batch) {
        long cpu = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long acc = 0;
        for (int i = 0; i < batch; i++) {
            acc += op.run(s);
        }
        long wall = System.nanoTime() - start;
        cpu = CPU.getCurrentThreadCpuTime() - cpu;
        sink += acc;
        return new double[] {wall / (double) batch, cpu / (double) batch};
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
