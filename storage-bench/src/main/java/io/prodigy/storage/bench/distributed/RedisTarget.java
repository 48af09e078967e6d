package io.prodigy.storage.bench.distributed;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.config.StorageConfig;
import java.net.URI;
import java.util.UUID;
import redis.clients.jedis.Jedis;

/**
 * The Redis the distributed benchmarks use: {@code PRODIGY_BENCH_REDIS_URL}, else {@code PRODIGY_IT_REDIS_URL}, else
 * {@code redis://127.0.0.1:6379}; each trial under a fresh key prefix.
 */
final class RedisTarget {

    static final String URL = System.getenv().getOrDefault("PRODIGY_BENCH_REDIS_URL",
            System.getenv().getOrDefault("PRODIGY_IT_REDIS_URL", "redis://127.0.0.1:6379"));

    private RedisTarget() {}

    /** The start of every key prefix the benchmarks use: {@code PRODIGY_BENCH_REDIS_PREFIX}, else {@code bench:}. */
    private static final String PREFIX = System.getenv().getOrDefault("PRODIGY_BENCH_REDIS_PREFIX", "bench:");

    static String newPrefix(String what) {
        return PREFIX + what + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** The store, opened through the provider as users do (no retry, cache or metrics layers). */
    static UnifiedStorage open(String prefix) {
        StorageConfig config = StorageConfig.forBackend("redis").withBackendOption("url", URL)
                .withBackendOption("key_prefix", prefix);
        return Backends.provider("redis").open(config, StorageContext.withoutProject());
    }

    static Jedis raw() {
        return new Jedis(URI.create(URL));
    }
}
