package io.prodigy.storage.bench.distributed;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.id.JobRef;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Issue 12: what one operation costs, split so that a loaded machine cannot blur it: this thread's CPU time, the
 * server's CPU time ({@code INFO cpu}), the time the server spent in commands and the number of commands it ran
 * ({@code INFO commandstats}: round trips, scripts counted once, plus the commands scripts ran), per unit, in
 * alternating rounds on the same server. Wall time (and so throughput) on a shared 2-core machine mostly measures how
 * long the scheduler keeps the client and the server waiting; CPU per unit does not depend on it. Scenarios:
 * <ul>
 *   <li>{@code lock}: acquire + release through {@code locks()} ({@code store}) and through ShedLock's Jedis provider
 *       ({@code shedlock}); unit: a pair;</li>
 *   <li>{@code floor}: the two sides of {@code lock} and the alternatives of {@link RedisLockFloor} (the round
 *       trips alone, bare {@code SET NX PX}, minimal scripts with and without a fencing token, {@code MULTI/EXEC}, the
 *       store's grant script without its client code); unit: a pair;</li>
 *   <li>{@code claim}: {@code dlq().claim} of 10 items and {@code release} of each, on a queue of 1,000 (as
 *       {@link RedisClaimBench}); unit: an item.</li>
 * </ul>
 * Each round also prints, per unit, the calls and the microseconds of every command the server counted
 * ({@code cmdstat_*} deltas, the probe's own {@code INFO} left out; a script's {@code evalsha} time includes the
 * commands it ran, which are counted again under their own names).
 * Run it against a Redis nobody else uses (the server figures are totals):
 * {@code PRODIGY_BENCH_REDIS_URL=redis://127.0.0.1:<port> java -cp storage-bench/target/benchmarks.jar
 * io.prodigy.storage.bench.distributed.RedisCostProbe lock|floor|claim [units] [rounds]}.
 *
 * <p>With {@code PRODIGY_BENCH_CALLGRIND_PID} set to the pid of a {@code redis-server} running under
 * {@code valgrind --tool=callgrind} (at that URL), each round also reports the instructions the server executed per
 * unit ({@code callgrind_control -z} before, {@code -d} after; the dump lands where {@code --callgrind-out-file}
 * says, which must be given as {@code PRODIGY_BENCH_CALLGRIND_OUT}): a count that no load on the machine changes.
 */
public final class RedisCostProbe {

    private RedisCostProbe() {}

    /** One alternative of a scenario: {@code run()} does {@code unitsPerRun} units. */
    private record Alternative(String name, int unitsPerRun, Runnable run) {}

    public static void main(String[] args) {
        String scenario = args.length > 0 ? args[0] : "lock";
        int units = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        try (Jedis stats = RedisTarget.raw()) {
            switch (scenario) {
                case "lock" -> {
                    try (RedisLocks locks = new RedisLocks("lockcost")) {
                        measure(List.of(new Alternative("store", 1, () -> locks.store("cost-store")),
                                new Alternative("shedlock", 1, () -> locks.shedlock("cost-shedlock"))), units, rounds,
                                stats);
                    }
                }
                case "floor" -> {
                    try (RedisLocks locks = new RedisLocks("lockfloor")) {
                        List<Alternative> all = new java.util.ArrayList<>();
                        all.add(new Alternative("store", 1, () -> locks.store("cost-store")));
                        all.add(new Alternative("shedlock", 1, () -> locks.shedlock("cost-shedlock")));
                        for (var e : RedisLockFloor.alternatives(locks)) {
                            all.add(new Alternative(e.getKey(), 1, e.getValue()));
                        }
                        try {
                            measure(all, units, rounds, stats);
                        } finally {
                            RedisLockFloor.close(locks);
                        }
                    }
                }
                case "claim" -> {
                    try (UnifiedStorage storage = RedisTarget.open(RedisTarget.newPrefix("claimcost"))) {
                        measure(claims(storage), units, rounds, stats);
                        storage.dlq().purge(CLAIM_JOB);
                    }
                }
                default -> throw new IllegalArgumentException("scenario must be lock, floor or claim, not " + scenario);
            }
        }
    }

    private static final JobRef CLAIM_JOB = JobRef.of("bench", "claims");

    private static List<Alternative> claims(UnifiedStorage storage) {
        for (int i = 0; i < 1_000; i++) {
            storage.dlq().add(CLAIM_JOB, DlqFailure.of(String.format("item-%05d", i), null, "boom"));
        }
        return List.of(new Alternative("store", RedisClaimBench.CLAIM, () -> {
            List<DlqItem> claimed = storage.dlq().claim(CLAIM_JOB, "bench", RedisClaimBench.CLAIM,
                    Duration.ofMinutes(5));
            for (DlqItem item : claimed) {
                storage.dlq().release(CLAIM_JOB, item.itemId(), item.claim().token(), null);
            }
        }));
    }

    private static void measure(List<Alternative> alternatives, int units, int rounds, Jedis stats) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Alternative a : alternatives) { // warm-up
            for (int i = 0; i < units; i += a.unitsPerRun()) {
                a.run().run();
            }
        }
        System.out.printf("load before: %s%n", loadAverage());
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < alternatives.size(); k++) {
                Alternative a = alternatives.get((k + round) % alternatives.size());
                java.util.Map<String, long[]> commandsBefore = commandStats(stats);
                Callgrind.zero();
                double[] serverBefore = server(stats);
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                int done = 0;
                while (done < units) {
                    a.run().run();
                    done += a.unitsPerRun();
                }
                wall = System.nanoTime() - wall;
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                double[] serverAfter = server(stats);
                String instructions = Callgrind.perUnit(done);
                java.util.Map<String, long[]> commandsAfter = commandStats(stats);
                // The probe's own INFO calls between the two readings: three.
                System.out.printf("round %d %-8s units/s %8.0f  wall %6.1f µs  client cpu %5.1f µs  server cpu %5.1f µs"
                        + "  in commands %5.1f µs  scripts %4.2f  commands %5.2f%s  per unit%n", round, a.name(),
                        done / (wall / 1e9), wall / 1e3 / done, cpu / 1e3 / done,
                        (serverAfter[0] - serverBefore[0]) * 1e6 / done, (serverAfter[1] - serverBefore[1]) / done,
                        (serverAfter[2] - serverBefore[2]) / done, (serverAfter[3] - serverBefore[3] - 3) / done, instructions);
                System.out.printf("        %-8s by command:%s%n", a.name(), perCommand(commandsBefore, commandsAfter, done));
            }
        }
        System.out.printf("load after: %s%n", loadAverage());
    }

    /**
     * The server's CPU seconds (user + sys), the microseconds it spent in commands, the scripts it ran and the
     * commands it ran (a script and each command it runs count one each), so far.
     */
    private static double[] server(Jedis stats) {
        double cpu = 0;
        for (String line : stats.info("cpu").split("\\r?\\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        double usec = 0;
        double scripts = 0;
        for (String line : stats.info("commandstats").split("\\r?\\n")) {
            int at = line.indexOf("usec=");
            if (line.startsWith("cmdstat_") && at > 0) {
                usec += Double.parseDouble(line.substring(at + 5, line.indexOf(',', at)));
            }
            if (line.startsWith("cmdstat_evalsha:")) {
                int c = line.indexOf("calls=");
                scripts = Double.parseDouble(line.substring(c + 6, line.indexOf(',', c)));
            }
        }
        double commands = 0;
        for (String line : stats.info("stats").split("\\r?\\n")) {
            if (line.startsWith("total_commands_processed:")) {
                commands = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new double[] {cpu, usec, scripts, commands};
    }

    /** {@code cmdstat_<name>} → {calls, usec} so far, without the probe's own {@code INFO}. */
    private static java.util.Map<String, long[]> commandStats(Jedis stats) {
        java.util.Map<String, long[]> out = new java.util.TreeMap<>();
        for (String line : stats.info("commandstats").split("\\r?\\n")) {
            if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
                continue;
            }
            int c = line.indexOf("calls=");
            int u = line.indexOf("usec=");
            out.put(line.substring(8, line.indexOf(':')), new long[] {
                    Long.parseLong(line.substring(c + 6, line.indexOf(',', c))),
                    Long.parseLong(line.substring(u + 5, line.indexOf(',', u)))});
        }
        return out;
    }

    /** {@code " name calls×usec µs"} for every command that ran in between, per unit. */
    private static String perCommand(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after,
            int units) {
        StringBuilder out = new StringBuilder();
        for (var e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long calls = e.getValue()[0] - b[0];
            if (calls > 0) {
                out.append(String.format("  %s %.2f× %.2f µs", e.getKey(), (double) calls / units,
                        (double) (e.getValue()[1] - b[1]) / units));
            }
        }
        return out.toString();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Server instructions per unit from a {@code redis-server} under callgrind, if one is named; see the class doc. */
    private static final class Callgrind {

        private static final String PID = System.getenv("PRODIGY_BENCH_CALLGRIND_PID");
        private static final String OUT = System.getenv("PRODIGY_BENCH_CALLGRIND_OUT");

        static void zero() {
            if (PID != null) {
                control("-z");
            }
        }

        /** {@code "  server instructions N"} since {@link #zero()}, per unit; empty without callgrind. */
        static String perUnit(int units) {
            if (PID == null) {
                return "";
            }
            try {
                java.nio.file.Path dir = java.nio.file.Path.of(OUT).toAbsolutePath().getParent();
                String name = java.nio.file.Path.of(OUT).getFileName() + ".";
                try (var old = java.nio.file.Files.list(dir)) {
                    for (java.nio.file.Path p : old.filter(p -> p.getFileName().toString().startsWith(name)).toList()) {
                        java.nio.file.Files.delete(p);
                    }
                }
                control("-d");
                try (var dumps = java.nio.file.Files.list(dir)) {
                    java.nio.file.Path dump = dumps.filter(p -> p.getFileName().toString().startsWith(name))
                            .findFirst().orElseThrow(() -> new IllegalStateException("no callgrind dump " + OUT
                                    + ".*: set PRODIGY_BENCH_CALLGRIND_OUT to the --callgrind-out-file"));
                    for (String line : java.nio.file.Files.readAllLines(dump)) {
                        if (line.startsWith("summary:") || line.startsWith("totals:")) {
                            long total = Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split(" ")[0]);
                            return String.format("  server instructions %,d", total / units);
                        }
                    }
                }
                return "  server instructions ?";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static void control(String option) {
            try {
                Process p = new ProcessBuilder("callgrind_control", option, PID).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("callgrind_control " + option + " " + PID + " failed");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
