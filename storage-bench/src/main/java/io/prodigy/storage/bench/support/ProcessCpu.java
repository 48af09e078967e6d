package io.prodigy.storage.bench.support;

import java.lang.management.ManagementFactory;

/** CPU time used by this process so far (all threads, JIT and GC included). */
public final class ProcessCpu {

    private ProcessCpu() {}

    /** Nanoseconds of CPU this process has used, or -1 where the JVM cannot tell. */
    public static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
