package io.prodigy.storage.bench.distributed;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.lock.LockLease;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.redis.jedis4.JedisLockProvider;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * Issue 12: what one lock acquire + release costs, split so that a loaded machine cannot blur it: this thread's CPU
 * time, the server's CPU time ({@code INFO cpu}) and the time the server spent in commands ({@code INFO commandstats}),
 * per pair, for {@code locks()} and for ShedLock's Jedis provider, in alternating rounds on the same server. Wall time
 * (and so throughput) on a shared 2-core machine mostly measures how long the scheduler keeps the client and the
 * server waiting; CPU per pair does not depend on it. Run it against a Redis nobody else uses (the server figures are
 * totals): {@code PRODIGY_BENCH_REDIS_URL=redis://127.0.0.1:<port> java -cp storage-bench/target/benchmarks.jar
 * io.prodigy.storage.bench.distributed.RedisLockCostProbe [pairs] [rounds]}.
 */
public final class RedisLockCostProbe {

    private static final Duration TTL = Duration.ofSeconds(30);

    private RedisLockCostProbe() {}

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        String prefix = RedisTarget.newPrefix("lockcost");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (UnifiedStorage storage = RedisTarget.open(prefix);
                JedisPool pool = new JedisPool(java.net.URI.create(RedisTarget.URL));
                Jedis stats = RedisTarget.raw()) {
            JedisLockProvider shedlock = new JedisLockProvider(pool, prefix);
            Runnable store = () -> {
                LockLease lease = storage.locks().tryAcquire("cost-store", TTL).orElseThrow();
                storage.locks().release(lease);
            };
            Runnable shed = () -> {
                SimpleLock lock = shedlock.lock(new LockConfiguration(Instant.now(), "cost-shedlock", TTL,
                        Duration.ZERO)).orElseThrow();
                lock.unlock();
            };
            for (int i = 0; i < pairs; i++) { // warm-up of both paths
                store.run();
                shed.run();
            }
            System.out.printf("load before: %s%n", loadAverage());
            for (int round = 0; round < rounds; round++) {
                boolean storeFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isStore = storeFirst == (k == 0);
                    Runnable op = isStore ? store : shed;
                    double[] serverBefore = server(stats);
                    long cpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    for (int i = 0; i < pairs; i++) {
                        op.run();
                    }
                    wall = System.nanoTime() - wall;
                    cpu = threads.getCurrentThreadCpuTime() - cpu;
                    double[] serverAfter = server(stats);
                    System.out.printf("round %d %-8s pairs/s %8.0f  wall %6.1f µs  client cpu %5.1f µs  server cpu %5.1f"
                            + " µs  server commands %5.1f µs  per pair%n", round, isStore ? "store" : "shedlock",
                            pairs / (wall / 1e9), wall / 1e3 / pairs, cpu / 1e3 / pairs,
                            (serverAfter[0] - serverBefore[0]) * 1e6 / pairs,
                            (serverAfter[1] - serverBefore[1]) / pairs);
                }
            }
            System.out.printf("load after: %s%n", loadAverage());
        }
    }

    /** The server's CPU seconds (user + sys) and the microseconds it spent in commands, so far. */
    private static double[] server(Jedis stats) {
        double cpu = 0;
        for (String line : stats.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        double commands = 0;
        for (String line : stats.info("commandstats").split("\r?\n")) {
            int at = line.indexOf("usec=");
            if (line.startsWith("cmdstat_") && at > 0) {
                commands += Double.parseDouble(line.substring(at + 5, line.indexOf(',', at)));
            }
        }
        return new double[] {cpu, commands};
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
