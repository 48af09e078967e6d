package io.prodigy.storage.bench.distributed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SetParams;

/**
 * Issue 12: the floor under a fenced lock on Redis 7.0, for {@link RedisCostProbe}'s {@code floor} scenario. Each
 * alternative acquires and releases one key of its own through ShedLock's pool (one borrow per command, as ShedLock
 * does), so they differ only in what the server runs:
 * <ul>
 *   <li>{@code ping2}: two {@code PING}s, the round trips alone;</li>
 *   <li>{@code setnx}: {@code SET NX PX} + {@code DEL}, ShedLock's commands without its client code;</li>
 *   <li>{@code evalNone}: a script that runs no command ({@code return 1}) + {@code DEL}: a script's fixed cost;</li>
 *   <li>{@code evalSet}: a script of one {@code SET NX PX} + {@code DEL}: what being a script costs;</li>
 *   <li>{@code evalFenced}: a script of {@code SET NX PX} and, if it took, {@code INCR} of a counter that never
 *       expires (the token) + {@code DEL}: the least atomic fenced grant (no restart floor, no compare on release);</li>
 *   <li>{@code fcallFenced}: {@code evalFenced} as a Redis 7 function ({@code FCALL}; the library
 *       {@value #LIBRARY} is loaded into the server and deleted by {@link #close});</li>
 *   <li>{@code evalFencedTime}: the same with the counter floored at the server's {@code TIME} ({@code TIME},
 *       {@code SET NX PX}, {@code GET}, {@code SET} of the counter) + {@code DEL};</li>
 *   <li>{@code multi}: {@code MULTI}, {@code SET NX PX}, {@code INCR}, {@code EXEC} in one write + {@code DEL}. Not a
 *       correct fenced lock: the {@code INCR} runs whether or not the {@code SET} took, so a refused grant moves the
 *       counter past the holder's token; it is here for its server cost only;</li>
 *   <li>{@code grant}: the store's own {@code lock_grant.lua} (read from the class path of storage-redis) with the
 *       store's keys and arguments + the {@code HDEL} of its mark: the store's server work without its client
 *       code;</li>
 *   <li>one more per file named in {@code PRODIGY_BENCH_LUA_VARIANTS} (comma-separated paths, named after the file):
 *       a variant of {@code lock_grant.lua} run as {@code grant}, to price a change before building it.</li>
 * </ul>
 */
final class RedisLockFloor {

    private static final String TTL_MS = Long.toString(RedisLocks.TTL.toMillis());
    private static final String TTL_US = Long.toString(RedisLocks.TTL.toMillis() * 1_000L);

    private static final String SET_NX = "return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])";
    private static final String FENCED = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then"
            + " return redis.call('INCR', KEYS[2]) end return false";
    private static final String FENCED_TIME = "local t = redis.call('TIME') local st = t[1] * 1000000 + t[2]"
            + " if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end"
            + " local n = tonumber(redis.call('GET', KEYS[2]) or '0') + 1 if n < st then n = st end"
            + " local s = string.format('%d', n) redis.call('SET', KEYS[2], s) return n";

    static final String LIBRARY = "prodigy_bench_floor";
    private static final String FUNCTION = "#!lua name=" + LIBRARY + "\nredis.register_function('prodigy_bench_fenced',"
            + " function(keys, args) if redis.call('SET', keys[1], args[1], 'NX', 'PX', args[2]) then"
            + " return redis.call('INCR', keys[2]) end return false end)";

    private RedisLockFloor() {}

    /** Deletes the function library {@code fcallFenced} loaded. */
    static void close(RedisLocks locks) {
        on(locks.pool(), j -> j.functionDelete(LIBRARY));
    }

    /** The alternatives, as {@code (name, one acquire + release)}. */
    static List<Map.Entry<String, Runnable>> alternatives(RedisLocks locks) {
        JedisPool pool = locks.pool();
        String tag = "{" + locks.prefix() + "}";
        List<Map.Entry<String, Runnable>> out = new ArrayList<>();
        out.add(Map.entry("ping2", () -> {
            on(pool, Jedis::ping);
            on(pool, Jedis::ping);
        }));
        String setKey = tag + "floor-set";
        out.add(Map.entry("setnx", () -> {
            check("OK".equals(on(pool, j -> j.set(setKey, "holder", SetParams.setParams().nx().px(30_000)))));
            on(pool, j -> j.del(setKey));
        }));
        out.add(script(pool, "evalNone", "return 1", List.of(tag + "floor-none"), List.of("holder", TTL_MS)));
        out.add(script(pool, "evalSet", SET_NX, List.of(tag + "floor-eval"), List.of("holder", TTL_MS)));
        out.add(script(pool, "evalFenced", FENCED, List.of(tag + "floor-fenced", tag + "floor-fenced.tok"),
                List.of("holder", TTL_MS)));
        on(pool, j -> j.functionLoadReplace(FUNCTION));
        List<String> fcallKeys = List.of(tag + "floor-fcall", tag + "floor-fcall.tok");
        List<String> fcallArgs = List.of("holder", TTL_MS);
        out.add(Map.entry("fcallFenced", () -> {
            check(on(pool, j -> j.fcall("prodigy_bench_fenced", fcallKeys, fcallArgs)) != null);
            on(pool, j -> j.del(fcallKeys.get(0)));
        }));
        out.add(script(pool, "evalFencedTime", FENCED_TIME,
                List.of(tag + "floor-fencedt", tag + "floor-fencedt.tok"), List.of("holder", TTL_MS)));
        String multiKey = tag + "floor-multi";
        String multiTok = tag + "floor-multi.tok";
        out.add(Map.entry("multi", () -> {
            List<Object> r = on(pool, j -> {
                Transaction t = j.multi();
                t.set(multiKey, "holder", SetParams.setParams().nx().px(30_000));
                t.incr(multiTok);
                return t.exec();
            });
            check("OK".equals(r.get(0)));
            on(pool, j -> j.del(multiKey));
        }));
        out.add(grant(pool, "grant", storeGrantScript(), tag));
        String variants = System.getenv("PRODIGY_BENCH_LUA_VARIANTS");
        if (variants != null && !variants.isBlank()) {
            for (String file : variants.split(",")) {
                Path path = Path.of(file.trim());
                out.add(grant(pool, path.getFileName().toString().replace(".lua", ""), read(path), tag));
            }
        }
        return out;
    }

    /** A script as the acquire, {@code DEL} of its first key as the release. */
    private static Map.Entry<String, Runnable> script(JedisPool pool, String name, String source, List<String> keys,
            List<String> args) {
        String sha = on(pool, j -> j.scriptLoad(source));
        return Map.entry(name, () -> {
            check(on(pool, j -> j.evalsha(sha, keys, args)) != null);
            on(pool, j -> j.del(keys.get(0)));
        });
    }

    /**
     * A {@code lock_grant.lua} with the store's keys, arguments and reply (the token, or {token, time}), and the
     * {@code HDEL} of the grant's mark as the release.
     */
    private static Map.Entry<String, Runnable> grant(JedisPool pool, String name, String source, String tag) {
        String sha = on(pool, j -> j.scriptLoad(source));
        List<String> keys = List.of(tag + "l/floor-" + name);
        long[] count = {0};
        return Map.entry(name, () -> {
            String holder = "floor-holder-" + (++count[0]);
            Object reply = on(pool, j -> j.evalsha(sha, keys, List.of(TTL_US, holder, "bench")));
            check(reply != null);
            long token = reply instanceof Long t ? t : (Long) ((List<?>) reply).get(0);
            check(on(pool, j -> j.hdel(keys.get(0), "h/" + holder + "/" + token)) == 1L);
        });
    }

    private static String storeGrantScript() {
        try (var in = RedisLockFloor.class.getResourceAsStream("/io/prodigy/storage/redis/lua/lock_grant.lua")) {
            if (in == null) {
                throw new IllegalStateException("lock_grant.lua is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <T> T on(JedisPool pool, Function<Jedis, T> work) {
        try (Jedis j = pool.getResource()) {
            return work.apply(j);
        }
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a floor alternative was refused: another run uses the same keys");
        }
    }
}
