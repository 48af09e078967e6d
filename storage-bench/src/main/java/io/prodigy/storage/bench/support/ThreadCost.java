package io.prodigy.storage.bench.support;

import java.lang.management.ManagementFactory;

/**
 * What the calling thread spent between {@link #start()} and {@link #perCall}: its CPU time and the bytes it
 * allocated, per call. Both count only this thread's own work, so other processes on a loaded machine disturb them
 * far less than wall-clock time, and a call that waits (for {@code fdatasync}, say) adds no CPU while it waits.
 * Not thread-safe: use it on the thread that makes the calls.
 */
public final class ThreadCost {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long cpuAtStart;
    private long bytesAtStart;

    /** Starts counting on the current thread. */
    public void start() {
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
        bytesAtStart = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The current thread's CPU nanoseconds and allocated bytes since {@link #start()}, divided by {@code calls}. */
    public PerCall perCall(long calls) {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytesAtStart;
        return calls <= 0 ? new PerCall(Double.NaN, Double.NaN)
                : new PerCall(cpu / (double) calls, bytes / (double) calls);
    }

    /** CPU nanoseconds and allocated bytes per call. */
    public record PerCall(double cpuNanos, double allocatedBytes) {}
}
