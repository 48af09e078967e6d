package io.prodigy.storage.redis;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * What the server's own settings promise about acknowledged writes, read at open and by every health probe:
 * {@code appendonly}, {@code appendfsync}, RDB {@code save} points and {@code maxmemory-policy}. {@code CONFIG GET}
 * first; where it is disabled (managed services rename it), {@code INFO persistence} and {@code INFO memory}.
 *
 * <p>Durable means every acknowledged write survives a crash of the server and of its machine: the append-only file
 * with {@code appendfsync always}. With {@code everysec} a machine crash loses about the last second; without the
 * append-only file a restart loses everything since the last RDB snapshot, or everything at all.
 *
 * @param appendOnly     {@code appendonly yes}
 * @param appendFsync    {@code always}, {@code everysec}, {@code no}, or {@code unknown}
 * @param savePoints     the RDB {@code save} setting ({@code ""} for none, {@code unknown} if unreadable)
 * @param evictionPolicy {@code maxmemory-policy}
 * @param maxMemory      {@code maxmemory} in bytes (0 = no limit)
 */
record Durability(boolean appendOnly, String appendFsync, String savePoints, String evictionPolicy, long maxMemory) {

    static Durability probe(Jedis jedis) {
        try {
            Map<String, String> c = jedis.configGet("appendonly", "appendfsync", "save", "maxmemory-policy",
                    "maxmemory");
            return new Durability("yes".equalsIgnoreCase(c.get("appendonly")), c.getOrDefault("appendfsync",
                    "unknown"), c.getOrDefault("save", "unknown"), c.getOrDefault("maxmemory-policy", "unknown"),
                    parseLong(c.get("maxmemory")));
        } catch (RuntimeException configDisabled) {
            Map<String, String> info = info(jedis.info("persistence"));
            info.putAll(info(jedis.info("memory")));
            return new Durability("1".equals(info.get("aof_enabled")), "unknown", "unknown",
                    info.getOrDefault("maxmemory_policy", "unknown"), parseLong(info.get("maxmemory")));
        }
    }

    /** Every acknowledged write survives a crash of the server's machine. */
    boolean durable() {
        return appendOnly && appendFsync.equals("always");
    }

    /**
     * A policy that may delete keys without an expiry (ours have none): only the {@code allkeys-*} ones; the
     * {@code volatile-*} policies evict keys with a TTL only.
     */
    boolean evicts() {
        return evictionPolicy.toLowerCase(Locale.ROOT).startsWith("allkeys-");
    }

    /** One line on what a crash or restart of the server would lose. */
    String describe() {
        if (durable()) {
            return "append-only file with fsync on every write: acknowledged writes survive a crash";
        }
        if (appendOnly) {
            return "append-only file with appendfsync " + appendFsync + ": a restart keeps the data, a crash of the"
                    + " machine may lose the last second of acknowledged writes";
        }
        if (!savePoints.isBlank() && !savePoints.equals("unknown")) {
            return "no append-only file, RDB snapshots only (save " + savePoints + "): a restart loses every write"
                    + " since the last snapshot, including lock tokens and sequences";
        }
        return "no persistence: a restart of the server loses everything this store holds";
    }

    Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("durable", durable());
        d.put("appendonly", appendOnly);
        d.put("appendfsync", appendFsync);
        d.put("rdb_save", savePoints);
        d.put("maxmemory_policy", evictionPolicy);
        d.put("maxmemory", maxMemory);
        d.put("durability", describe());
        return d;
    }

    private static Map<String, String> info(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
