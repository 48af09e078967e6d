package io.prodigy.storage.bench.postgres;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link SideBySide} with two baselines: the backend's operation, the peer the goal names ({@code baseline*}: ShedLock's
 * JDBC provider, or the same statements on a pooled connection per call), and the stricter figure ({@code bare*}: the
 * statements alone on one connection the benchmark holds, no pool) run in turn in the same iteration, so all three see
 * the same load. JMH reports each side's total elapsed time ({@code *Micros}) and the calling thread's CPU time
 * ({@code *CpuMicros}, ThreadMXBean: the client's share, which the load blurs far less), over equally many operations
 * each; quotients of the totals are the ratios.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreeSides {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public long backendMicros;
    public long baselineMicros;
    public long bareMicros;
    public long backendCpuMicros;
    public long baselineCpuMicros;
    public long bareCpuMicros;

    private long rounds;

    @Setup(Level.Iteration)
    public void reset() {
        backendMicros = 0;
        baselineMicros = 0;
        bareMicros = 0;
        backendCpuMicros = 0;
        baselineCpuMicros = 0;
        bareCpuMicros = 0;
    }

    /**
     * Runs one operation of each side, the first side rotating from call to call, so that none always follows the
     * same other (a commit's flush, for one, can favour the operation after it).
     *
     * @return the backend's result
     */
    <T> T all(Callable<T> backendOp, Callable<?> baselineOp, Callable<?> bareOp) throws Exception {
        int first = (int) (rounds++ % 3);
        T result = null;
        for (int i = 0; i < 3; i++) {
            switch ((first + i) % 3) {
                case 0 -> result = timed(backendOp, 0);
                case 1 -> timed(baselineOp, 1);
                default -> timed(bareOp, 2);
            }
        }
        return result;
    }

    private <T> T timed(Callable<T> op, int side) throws Exception {
        long cpu = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            return op.call();
        } finally {
            long micros = (System.nanoTime() - start) / 1_000;
            long cpuMicros = (CPU.getCurrentThreadCpuTime() - cpu) / 1_000;
            switch (side) {
                case 0 -> {
                    backendMicros += micros;
                    backendCpuMicros += cpuMicros;
                }
                case 1 -> {
                    baselineMicros += micros;
                    baselineCpuMicros += cpuMicros;
                }
                default -> {
                    bareMicros += micros;
                    bareCpuMicros += cpuMicros;
                }
            }
        }
    }
}
