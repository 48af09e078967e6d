package io.prodigy.storage.bench.append;

import io.prodigy.storage.bench.support.ProcessCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs durable appends of one {@link AppendTarget} in a loop on one thread, outside JMH, so that what one append costs
 * can be counted where the load of a shared machine does not blur it: system calls ({@code bench/profile.sh} runs it
 * under {@code strace -f}), CPU time of the appending thread and of the whole process, and context switches (from
 * {@code /proc}, Linux only) per call:
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.append.AppendLoop file|rawPrealloc|raw|sqlite BATCH N</pre>
 * A warm-up of {@code N} appends runs first (JIT), then the measured loop, which starts with a "loop start" line.
 */
public final class AppendLoop {

    private AppendLoop() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: AppendLoop file|rawPrealloc|raw|sqlite BATCH N");
        }
        int batch = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long appended = 0;
        try (AppendTarget target = AppendTarget.open(args[0])) {
            AppendTarget.Appender appender = target.appender(0, batch);
            for (int i = 0; i < n; i++) {
                appended += appender.append();
            }
            // Marks the start of the loop in the trace: everything before is opening, warming up and creating.
            System.out.println("loop start");
            System.out.flush();
            java.util.Map<String, Long> tasksBefore = taskCpu();
            long[] switchesBefore = switches();
            long threadCpu = threads.getCurrentThreadCpuTime();
            long threadUser = threads.getCurrentThreadUserTime();
            long processCpu = ProcessCpu.nanos();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                appended += appender.append();
            }
            long wall = System.nanoTime() - start;
            threadCpu = threads.getCurrentThreadCpuTime() - threadCpu;
            threadUser = threads.getCurrentThreadUserTime() - threadUser;
            processCpu = ProcessCpu.nanos() - processCpu;
            long[] switchesAfter = switches();
            System.out.printf("%d x %s append of %d: %.1f us per call, CPU %.1f us (this thread, %.1f us of it user) %.1f us"
                    + " (process)"
                    + " per call, context switches per call: %.2f voluntary %.2f involuntary (this thread),"
                    + " %.2f voluntary (process)%n", n, args[0], batch, wall / 1e3 / n, threadCpu / 1e3 / n, threadUser / 1e3 / n,
                    processCpu / 1e3 / n, (switchesAfter[0] - switchesBefore[0]) / (double) n,
                    (switchesAfter[1] - switchesBefore[1]) / (double) n,
                    (switchesAfter[2] - switchesBefore[2]) / (double) n);
            java.util.Map<String, Long> tasksAfter = taskCpu();
            tasksAfter.forEach((name, ns) -> {
                long used = ns - tasksBefore.getOrDefault(name, 0L);
                if (used / n >= 1_000) {
                    System.out.printf("  CPU of threads named '%s': %.1f us per call%n", name, used / 1e3 / n);
                }
            });
            target.verify(appended);
        }
    }

    /** Voluntary and involuntary switches of this thread, voluntary switches of all threads; zeros off Linux. */
    private static long[] switches() throws IOException {
        long[] s = new long[3];
        Path self = Path.of("/proc/thread-self/status");
        if (!Files.exists(self)) {
            return s;
        }
        s[0] = field(self, "voluntary_ctxt_switches");
        s[1] = field(self, "nonvoluntary_ctxt_switches");
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    s[2] += field(t.resolve("status"), "voluntary_ctxt_switches");
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return s;
    }

    /** CPU time on the CPU (schedstat, ns) of the process's threads, summed by thread name; empty off Linux. */
    private static java.util.Map<String, Long> taskCpu() throws IOException {
        java.util.Map<String, Long> cpu = new java.util.TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return cpu;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path t : all) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
                    long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                    cpu.merge(name, ns, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return cpu;
    }

    private static long field(Path status, String name) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }
}
