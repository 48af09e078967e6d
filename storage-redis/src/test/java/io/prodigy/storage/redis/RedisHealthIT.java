package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health reports the server's own durability settings, on servers the test starts: an append-only file fsynced on
 * every write is durable; {@code everysec} is not (a machine crash loses the last second); an {@code allkeys-*}
 * eviction policy is a warning (DEGRADED), a {@code volatile-*} one is not (the store sets no expiries); and a
 * server whose {@code CONFIG} command is disabled, as on managed services, is read through {@code INFO}.
 */
class RedisHealthIT {

    @TempDir
    Path dir;

    private static UnifiedStorage open(RedisProcess redis) {
        return RedisTestServer.open(StorageConfig.forBackend("redis").withBackendOption("url", redis.url()),
                StorageContext.withoutProject());
    }

    @Test
    void anAppendOnlyFileFsyncedOnEveryWriteIsDurable() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
                UnifiedStorage s = open(redis)) {
            HealthReport r = s.health();
            assertThat(s.capabilities()).contains(Capability.DURABLE);
            assertThat(r.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(r.details()).containsEntry("durable", true).containsEntry("appendfsync", "always");
        }
    }

    @Test
    void fsyncEverySecondIsNotDurableButHealthy() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--appendonly", "yes", "--appendfsync", "everysec");
                UnifiedStorage s = open(redis)) {
            HealthReport r = s.health();
            assertThat(s.capabilities()).doesNotContain(Capability.DURABLE);
            assertThat(r.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat((String) r.details().get("durability")).contains("last second");
        }
    }

    @Test
    void anAllKeysEvictionPolicyIsAWarningAndAVolatileOneIsNot() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--maxmemory", "100mb", "--maxmemory-policy",
                "allkeys-lru"); UnifiedStorage s = open(redis)) {
            HealthReport r = s.health();
            assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(r.message()).contains("allkeys-lru");
        }
        try (RedisProcess redis = RedisProcess.start(dir, "--maxmemory", "100mb", "--maxmemory-policy",
                "volatile-lru"); UnifiedStorage s = open(redis)) {
            assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void aServerWithoutTheConfigCommandIsReadThroughInfo() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--appendonly", "yes", "--rename-command", "CONFIG", "");
                UnifiedStorage s = open(redis)) {
            HealthReport r = s.health();
            assertThat(r.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(r.details()).containsEntry("appendonly", true).containsEntry("appendfsync", "unknown")
                    .containsEntry("durable", false);
        }
    }
}
