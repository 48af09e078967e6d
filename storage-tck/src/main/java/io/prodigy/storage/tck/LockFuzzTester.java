package io.prodigy.storage.tck;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A mutual-exclusion oracle in the style of ShedLock's {@code FuzzTester}: many threads increment a plain, unsynchronized
 * counter per lock key, each increment done only while holding that key's lock, with a deliberate pause between the
 * read and the write. Any exclusion bug shows up as a lost update. Every grant's fencing token is recorded inside the
 * critical section, so the recorded order is the grant order and must be strictly increasing.
 *
 * <p>Half of the threads take the lock with {@link LockService#tryAcquire} in a spin loop, half with a blocking
 * {@link LockService#acquire}, so both paths are exercised.
 */
public final class LockFuzzTester {

    /** What a run observed. */
    public record Result(
            Map<String, Integer> counters, Map<String, Integer> expectedCounters,
            Map<String, List<Long>> tokensInGrantOrder) {}

    private final LockService locks;
    private final List<String> keys;
    private final int threads;
    private final int iterationsPerThread;

    /** Per key: the unsynchronized counter (a one-element array, read and written without any Java lock). */
    private final Map<String, int[]> counters = new ConcurrentHashMap<>();
    /** Per key: tokens appended inside the critical section, so in grant order. Guarded by the lock under test. */
    private final Map<String, List<Long>> tokens = new ConcurrentHashMap<>();

    public LockFuzzTester(LockService locks, List<String> keys, int threads, int iterationsPerThread) {
        this.locks = locks;
        this.keys = List.copyOf(keys);
        this.threads = threads;
        this.iterationsPerThread = iterationsPerThread;
        for (String key : keys) {
            counters.put(key, new int[1]);
            tokens.put(key, new ArrayList<>());
        }
    }

    /**
     * Runs the fuzz and returns what it saw; the caller asserts.
     *
     * @param timeout guard against a hang (a lock that is never granted again)
     */
    public Result run(Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean blocking = t % 2 == 0;
                int offset = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < iterationsPerThread; i++) {
                        String key = keys.get((i + offset) % keys.size());
                        LockLease lease = blocking ? locks.acquire(key, Duration.ofMinutes(5), timeout)
                                : spinFor(key, timeout);
                        try {
                            criticalSection(key, lease);
                        } finally {
                            locks.release(lease);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        counters.forEach((k, v) -> counts.put(k, v[0]));
        Map<String, Integer> expected = new ConcurrentHashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < iterationsPerThread; i++) {
                expected.merge(keys.get((i + t) % keys.size()), 1, Integer::sum);
            }
        }
        return new Result(Map.copyOf(counts), Map.copyOf(expected), Map.copyOf(tokens));
    }

    private LockLease spinFor(String key, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<LockLease> lease = locks.tryAcquire(key, Duration.ofMinutes(5));
            if (lease.isPresent()) {
                return lease.get();
            }
            Thread.yield();
        }
        throw new AssertionError("tryAcquire of '" + key + "' never succeeded within " + timeout);
    }

    private void criticalSection(String key, LockLease lease) {
        int[] counter = counters.get(key);
        int read = counter[0];
        // Widen the race window: without exclusion another thread reads the same value meanwhile.
        Thread.yield();
        counter[0] = read + 1;
        tokens.get(key).add(lease.fencingToken());
    }
}
