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
 * The {@code alternating} mode of the {@code Pg*Bench} benchmarks: the backend's operation and its baseline run in
 * turn, one after the other, in the same iteration, so both see the same load on a shared machine (runs of one
 * after the other, minutes apart, compare two different machines). JMH reports the time each side took in total
 * ({@code backendMicros}, {@code baselineMicros}, over equally many operations each); their quotient is the ratio.
 * {@code backendCpuMicros} and {@code baselineCpuMicros} are the calling thread's CPU time on each side: the client's
 * share, which the load does not inflate the way it does the elapsed time.
 * Benchmarks with many threads switch sides by time instead ({@link #backendPhase}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class SideBySide {

    /** How long the threads of a multi-threaded benchmark stay on one side before all switch to the other. */
    static final long PHASE_NANOS = 200_000_000L;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public long backendMicros;
    public long baselineMicros;
    /**
     * This thread's CPU time on each side (ThreadMXBean): the client's own work, which the machine's load blurs far
     * less than the elapsed time (a waiting thread uses none). The server's work is not in it.
     */
    public long backendCpuMicros;
    public long baselineCpuMicros;
    /** Work done on each side (events appended, for instance), where sides switch by time. */
    public long backendUnits;
    public long baselineUnits;

    @Setup(Level.Iteration)
    public void reset() {
        backendMicros = 0;
        baselineMicros = 0;
        backendCpuMicros = 0;
        baselineCpuMicros = 0;
        backendUnits = 0;
        baselineUnits = 0;
    }

    private long pairs;

    /**
     * Runs one operation of each side, the backend first on every other call, so that neither side always follows
     * the other (a commit's flush, for one, can favour the operation after it).
     *
     * @return the backend's result
     */
    <T> T both(Callable<T> backendOp, Callable<?> baselineOp) throws Exception {
        if ((pairs++ & 1) == 0) {
            T result = backend(backendOp);
            baseline(baselineOp);
            return result;
        }
        baseline(baselineOp);
        return backend(backendOp);
    }

    <T> T backend(Callable<T> op) throws Exception {
        long cpu = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            return op.call();
        } finally {
            backendMicros += (System.nanoTime() - start) / 1_000;
            backendCpuMicros += (CPU.getCurrentThreadCpuTime() - cpu) / 1_000;
        }
    }

    <T> T baseline(Callable<T> op) throws Exception {
        long cpu = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            return op.call();
        } finally {
            baselineMicros += (System.nanoTime() - start) / 1_000;
            baselineCpuMicros += (CPU.getCurrentThreadCpuTime() - cpu) / 1_000;
        }
    }

    /**
     * Whether all threads are on the backend's side now: sides switch every {@link #PHASE_NANOS} by the clock, so
     * each gets half of the measured time, under the same load, with the same number of threads in it.
     */
    static boolean backendPhase() {
        return (System.nanoTime() / PHASE_NANOS & 1) == 0;
    }
}
