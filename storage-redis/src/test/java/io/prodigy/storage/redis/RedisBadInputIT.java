package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Bad input against real servers: a wrong password, a database that does not exist, a key prefix whose keys another
 * program holds with other types. Each is a clear error that names what to fix, changes nothing, and never shows the
 * password.
 */
class RedisBadInputIT {

    private static final String PREFIX = RedisTestServer.newPrefix("BadInput");

    @TempDir
    Path dir;

    @BeforeAll
    static void server() {
        RedisTestServer.require();
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorThatHidesThePassword() throws Exception {
        String right = "right-" + "Kx93";
        String wrong = "wrong-" + "Pq71";
        try (RedisProcess redis = RedisProcess.start(dir, "--requirepass", right)) {
            StorageConfig config = StorageConfig.forBackend("redis").withBackendOption("url", redis.url())
                    .withBackendOption("password", wrong);

            Throwable t = catchThrowable(() -> new RedisStorageProvider().open(config, StorageContext.withoutProject()));

            assertThat(t).isInstanceOf(StorageConfigException.class);
            assertThat(((StorageConfigException) t).keyPath()).isEqualTo("storage.backend_config.password");
            assertThat(stackText(t)).doesNotContain(wrong).doesNotContain(right);

            try (UnifiedStorage ok = new RedisStorageProvider().open(config.withBackendOption("password", right),
                    StorageContext.withoutProject())) {
                assertThat(ok.health().status()).isEqualTo(HealthStatus.HEALTHY);
                assertThat(ok.health().details().toString()).doesNotContain(right);
                assertThat(ok.toString()).doesNotContain(right);
            }
            // The password in the URL works as well, and never shows either.
            String inUrl = "redis://:" + right + "@127.0.0.1:" + redis.port() + "/0";
            try (UnifiedStorage ok = new RedisStorageProvider().open(
                    StorageConfig.forBackend("redis").withBackendOption("url", inUrl), StorageContext.withoutProject())) {
                assertThat(ok.health().details().toString()).doesNotContain(right);
            }
            Throwable noPassword = catchThrowable(() -> new RedisStorageProvider().open(
                    StorageConfig.forBackend("redis").withBackendOption("url", redis.url()),
                    StorageContext.withoutProject()));
            assertThat(noPassword).isInstanceOf(StorageConfigException.class);
        }
    }

    @Test
    void aDatabaseThatDoesNotExistIsAConfigurationErrorOnTheUrl() {
        StorageConfig config = StorageConfig.forBackend("redis")
                .withBackendOption("url", RedisTestServer.url() + "/999").withBackendOption("key_prefix", PREFIX);

        Throwable t = catchThrowable(() -> new RedisStorageProvider().open(config, StorageContext.withoutProject()));

        assertThat(t).isInstanceOf(StorageConfigException.class);
        assertThat(((StorageConfigException) t).keyPath()).isEqualTo("storage.backend_config.url");
        assertThat(t.getMessage()).contains("/999");
    }

    @Test
    void aPrefixWhoseKeysHoldOtherTypesFailsClearlyAndChangesNothing() {
        String prefix = RedisTestServer.newPrefix("Foreign");
        String id = "session-1";
        JobRef job = JobRef.of("repo", "job");
        try (Jedis foreign = new Jedis(URI.create(RedisTestServer.url()))) {
            foreign.set("{" + prefix + "}s/" + id, "someone else's string");
            foreign.set("{" + prefix + "}e/repo/job", "someone else's string");
            foreign.set("{" + prefix + "}l/lock-1", "someone else's string");
        }
        try (UnifiedStorage s = RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject())) {
            Throwable save = catchThrowable(() -> s.sessions().save(PersistedSession.create(id, Instant.now())));
            Throwable append = catchThrowable(() -> s.events().append(job, List.of(NewEvent.of("t", null))));
            Throwable lock = catchThrowable(() -> s.locks().tryAcquire("lock-1", Duration.ofSeconds(10)));

            for (Throwable t : List.of(save, append, lock)) {
                assertThat(t).isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(prefix).hasMessageContaining("key_prefix");
            }
            assertThat(s.sessions().list(null)).isEmpty();
            assertThat(s.events().lastSequence(job)).isZero();
            assertThat(s.events().listJobs(null)).isEmpty();
            assertThat(s.locks().list()).isEmpty();
        }
        try (Jedis foreign = new Jedis(URI.create(RedisTestServer.url()))) {
            assertThat(foreign.get("{" + prefix + "}s/" + id)).isEqualTo("someone else's string");
            assertThat(foreign.get("{" + prefix + "}l/lock-1")).isEqualTo("someone else's string");
        }
    }

    /** Sentinel discovery is not supported (docs/redis.md): a Sentinel's address is a clear configuration error. */
    @Test
    void aUrlNamingASentinelIsAConfigurationErrorOnTheUrl() throws Exception {
        try (RedisProcess sentinel = RedisProcess.startSentinel(dir)) {
            StorageConfig config = StorageConfig.forBackend("redis").withBackendOption("url", sentinel.url())
                    .withBackendOption("key_prefix", RedisTestServer.newPrefix("Sentinel"));

            Throwable t = catchThrowable(() -> new RedisStorageProvider().open(config,
                    StorageContext.withoutProject()));

            assertThat(t).isInstanceOf(StorageConfigException.class).hasMessageContaining("Sentinel")
                    .hasMessageContaining("127.0.0.1:" + sentinel.port());
            assertThat(((StorageConfigException) t).keyPath()).isEqualTo("storage.backend_config.url");
        }
    }

    /** The lock scripts have no type guard: their first write is the one Redis refuses (docs/redis.md). */
    @Test
    void aForeignHeldLocksIndexRefusesGrantsWithNothingWritten() {
        String prefix = RedisTestServer.newPrefix("ForeignHeld");
        try (Jedis foreign = new Jedis(URI.create(RedisTestServer.url()))) {
            foreign.set("{" + prefix + "}l.held", "someone else's string");
        }
        try (UnifiedStorage s = RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject())) {
            Throwable lock = catchThrowable(() -> s.locks().tryAcquire("lock-2", Duration.ofSeconds(10)));

            assertThat(lock).isInstanceOf(CorruptionException.class).hasMessageContaining(prefix)
                    .hasMessageContaining("key_prefix");
            assertThat(s.locks().current("lock-2")).isEmpty();
        }
        try (Jedis foreign = new Jedis(URI.create(RedisTestServer.url()))) {
            assertThat(foreign.exists("{" + prefix + "}l/lock-2")).as("lock hash written").isFalse();
            assertThat(foreign.get("{" + prefix + "}l.held")).isEqualTo("someone else's string");
        }
    }

    @Test
    void aStoreMarkerOfAnotherLayoutIsRefused() {
        String prefix = RedisTestServer.newPrefix("Layout");
        try (Jedis foreign = new Jedis(URI.create(RedisTestServer.url()))) {
            foreign.hset("{" + prefix + "}meta", Map.of("layout", "99"));
        }
        Throwable t = catchThrowable(() -> RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject()));
        assertThat(t).isInstanceOf(CorruptionException.class).hasMessageContaining("layout 99");
    }

    private static String stackText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }
}
