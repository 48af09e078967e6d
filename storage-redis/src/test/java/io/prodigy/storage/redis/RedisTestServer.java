package io.prodigy.storage.redis;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis the tests use: {@code PRODIGY_IT_REDIS_URL} if set, else the machine's server at
 * {@code redis://127.0.0.1:6379}. Each test class takes its own key prefix ({@link #newPrefix}), so classes share the
 * server without seeing each other's keys. When the server does not answer, tests fail under {@code CI=true} and are
 * skipped, with a message saying why, otherwise.
 */
public final class RedisTestServer {

    /** The URL of the shared server. */
    public static final String URL = System.getenv().getOrDefault("PRODIGY_IT_REDIS_URL", "redis://127.0.0.1:6379");

    private static volatile Boolean reachable;

    private RedisTestServer() {}

    /** Fails (under CI) or skips (locally) the calling test if the shared server does not answer PING. */
    public static void require() {
        if (reachable == null) {
            reachable = ping(URL);
        }
        if (!reachable) {
            String why = "Redis at " + URL + " does not answer PING; start it (redis-server --port 6379 --save ''"
                    + " --appendonly no) or set PRODIGY_IT_REDIS_URL";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: a missing server is a failure, not a skip)");
            }
            Assumptions.abort(why);
        }
    }

    static boolean ping(String url) {
        try (Jedis j = new Jedis(URI.create(url), 2_000)) {
            return "PONG".equals(j.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // The shared server outlives the run: drop every prefix this JVM handed out when it exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (Boolean.TRUE.equals(reachable)) {
                CREATED.forEach(RedisTestServer::dropPrefix);
            }
        }, "redis-test-prefixes"));
    }

    /** A fresh key prefix, for example {@code it:SessionContract:3f2a…:}, dropped when the JVM exits. */
    public static String newPrefix(String owner) {
        String prefix = "it:" + owner + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
        CREATED.add(prefix);
        return prefix;
    }

    /** A configuration for the shared server under {@code prefix}, with the given clock. */
    public static StorageConfig config(String prefix, String clock) {
        return StorageConfig.forBackend("redis").withBackendOption("url", URL).withBackendOption("key_prefix", prefix)
                .withBackendOption("clock", clock).withBackendOption("poll_interval", "200ms");
    }

    /** The key prefix of a TCK namespace: the namespace and a colon. */
    public static String prefixOf(String namespace) {
        return namespace + ":";
    }

    /** Deletes every key under {@code prefix} (SCAN and UNLINK, a page at a time). */
    public static void dropPrefix(String prefix) {
        try (Jedis j = new Jedis(URI.create(URL), 5_000)) {
            String cursor = redis.clients.jedis.params.ScanParams.SCAN_POINTER_START;
            redis.clients.jedis.params.ScanParams match =
                    new redis.clients.jedis.params.ScanParams().match("{" + prefix + "}*").count(1_000);
            do {
                var page = j.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    j.unlink(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(redis.clients.jedis.params.ScanParams.SCAN_POINTER_START));
        }
    }

    /** Opens a store through the provider (as users do). */
    public static UnifiedStorage open(StorageConfig config, StorageContext context) {
        require();
        return new RedisStorageProvider().open(config, context);
    }
}
