package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.redis.RedisProcess;
import io.prodigy.storage.redis.RedisTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Redis server of the test's own with {@code --appendonly yes --appendfsync always} (so the store is
 * {@code DURABLE}), for the contract tests of restarts, which the shared server (no persistence) skips. A restart
 * is a real one: {@link #reopen} kills the server with SIGKILL and starts it again on the same files before it opens
 * the store, whenever the previous store was closed (a live previous store means "another process", and the server
 * stays up). One server per test class, in a directory under {@code java.io.tmpdir}.
 */
final class DurableRedis implements AutoCloseable {

    private final Path dir;
    private final RedisProcess server;
    private int restarts;

    DurableRedis() {
        try {
            dir = Files.createTempDirectory("prodigy-redis-durable-");
            server = RedisProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared test configuration of {@code namespace}, on this server. */
    StorageConfig config(String namespace) {
        return RedisTestServer.config(RedisTestServer.prefixOf(namespace), "client", server.url());
    }

    UnifiedStorage open(String namespace, StorageContext context) {
        return RedisTestServer.open(config(namespace), context);
    }

    UnifiedStorage reopen(UnifiedStorage previous, String namespace, StorageContext context) {
        restartIfClosed(previous);
        return open(namespace, context);
    }

    /** Kills and restarts the server if {@code previous} was closed (a restart, not a second process). */
    void restartIfClosed(UnifiedStorage previous) {
        // A closed store reports DOWN ("closed"); an open one on a running server never does.
        if (previous.health().status() == HealthStatus.DOWN) {
            server.kill();
            restarts++;
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How many times {@link #reopen} killed and restarted the server. */
    int restarts() {
        return restarts;
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
