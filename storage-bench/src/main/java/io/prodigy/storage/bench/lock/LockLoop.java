package io.prodigy.storage.bench.lock;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.lock.LockLease;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Acquires and releases one lock of the file backend in a loop outside JMH, so that a system-call tracer can count
 * what a pair costs ({@code bench/profile.sh} runs it under {@code strace -c}, as {@code RecordLoop} for records):
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.lock.LockLoop N</pre>
 */
public final class LockLoop {

    private LockLoop() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LockLoop N");
        }
        int n = Integer.parseInt(args[0]);
        Path dir = BenchDirs.newScratchDir("lockloop");
        try (UnifiedStorage storage = Backends.openFile(dir)) {
            Duration ttl = Duration.ofSeconds(30);
            storage.locks().release(storage.locks().tryAcquire("lock-loop", ttl).orElseThrow());
            // Marks the start of the loop in the trace: everything before is opening and creating.
            System.out.println("loop start");
            System.out.flush();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LockLease lease = storage.locks().tryAcquire("lock-loop", ttl)
                        .orElseThrow(() -> new IllegalStateException("an unheld lock was refused"));
                storage.locks().release(lease);
            }
            System.out.printf("%d x file lock acquire + release: %.1f us per pair%n", n,
                    (System.nanoTime() - start) / 1e3 / n);
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
