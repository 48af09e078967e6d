package io.prodigy.storage.redis;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.testservers.RedisServer;
import io.prodigy.storage.testservers.TestServers;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis of this module's tests, as {@link TestServers#redis()} finds it ({@code PRODIGY_IT_REDIS_URL}, a Docker
 * container, or {@code redis://127.0.0.1:6379}; skipped, or failed under {@code CI=true}, when it does not answer).
 * Each test class takes its own key prefix ({@link #newPrefix}), so classes share the server without seeing each
 * other's keys.
 */
public final class RedisTestServer {

    /** The server once a test used it: the prefixes handed out are dropped from it when the JVM exits. */
    private static volatile RedisServer used;

    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    static {
        // The shared server outlives the run: drop every prefix this JVM handed out when it exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RedisServer server = used;
            if (server != null) {
                CREATED.forEach(server::deletePrefix);
            }
        }, "redis-test-prefixes"));
    }

    private RedisTestServer() {}

    /** Fails (under CI) or skips (locally) the calling test if the shared server does not answer PING. */
    public static void require() {
        server();
    }

    private static RedisServer server() {
        RedisServer server = TestServers.redis();
        used = server;
        return server;
    }

    /** The URL of the shared server (or the calling test is skipped or failed, as {@link #require} says). */
    public static String url() {
        return server().url();
    }

    /** Whether the Redis at {@code url} (a server a test started itself) answers PING now. */
    static boolean ping(String url) {
        return new RedisServer(url).answersPing();
    }

    /** A fresh key prefix, for example {@code it:SessionContract:3f2a…:}, dropped when the JVM exits. */
    public static String newPrefix(String owner) {
        String prefix = "it:" + owner + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
        CREATED.add(prefix);
        return prefix;
    }

    /** A configuration for the shared server under {@code prefix}, with the given clock. */
    public static StorageConfig config(String prefix, String clock) {
        return config(prefix, clock, url());
    }

    /** The same for the server at {@code url}, one a test started itself (the shared one need not answer). */
    public static StorageConfig config(String prefix, String clock, String url) {
        return StorageConfig.forBackend("redis").withBackendOption("url", url).withBackendOption("key_prefix", prefix)
                .withBackendOption("clock", clock).withBackendOption("poll_interval", "200ms");
    }

    /** The key prefix of a TCK namespace: the namespace and a colon. */
    public static String prefixOf(String namespace) {
        return namespace + ":";
    }

    /** Deletes every key under {@code prefix} (SCAN and UNLINK, a page at a time). */
    public static void dropPrefix(String prefix) {
        server().deletePrefix(prefix);
    }

    /** Opens a store through the provider (as users do). */
    public static UnifiedStorage open(StorageConfig config, StorageContext context) {
        require();
        return new RedisStorageProvider().open(config, context);
    }
}
