package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with a server the test owns: killed with SIGKILL in the middle of a workload and started again on the same
 * port and directory. With the append-only file fsynced on every write, every acknowledged append is there exactly
 * once after clients retried through the outage (the same event ids, so an append whose reply was lost is not stored
 * twice) and lock tokens keep rising. Without persistence the loss is the documented one, and the store says so:
 * health turns DEGRADED, old fences are refused, new tokens are above every old one.
 */
class RedisRestartIT {

    private static final int WRITERS = 3;
    private static final int BATCHES = 150;
    private static final int BATCH = 10;

    @TempDir
    Path dir;

    private static StorageConfig config(RedisProcess redis) {
        return StorageConfig.forBackend("redis").withBackendOption("url", redis.url())
                .withBackendOption("key_prefix", "restart:").withTimeout(Duration.ofSeconds(1));
    }

    @Test
    void everyAcknowledgedAppendSurvivesAKillOfADurableServerExactlyOnce() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
                UnifiedStorage store = RedisTestServer.open(config(redis), StorageContext.withoutProject())) {
            assertThat(store.capabilities()).contains(Capability.DURABLE);
            assertThat(store.health().details()).containsEntry("durable", true);
            JobRef job = JobRef.of("repo", "killed");
            LockLease before = store.locks().tryAcquire("restart-lock", Duration.ofSeconds(1)).orElseThrow();
            PersistedSession session = store.sessions().save(PersistedSession.create("s-1", Instant.now()));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger retries = new AtomicInteger();
            AtomicInteger duplicatesReported = new AtomicInteger();
            // Writers keep going until the server is back, so the kill always lands mid-workload (on a quiet machine
            // a fixed number of batches could finish before it).
            AtomicBoolean restarted = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(WRITERS);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    started.countDown();
                    for (int b = 0; b < BATCHES || !restarted.get(); b++) {
                        List<NewEvent> batch = new ArrayList<>();
                        for (int e = 0; e < BATCH; e++) {
                            batch.add(new NewEvent("w" + writer + "-b" + b + "-e" + e, null, "t", null, null, null));
                        }
                        while (true) {
                            try {
                                duplicatesReported.addAndGet(store.events().append(job, batch).duplicates());
                                batch.forEach(e -> acknowledged.add(e.id()));
                                break;
                            } catch (StorageUnavailableException e) {
                                retries.incrementAndGet();
                                sleep(20);
                            }
                        }
                    }
                });
                t.start();
                writers.add(t);
            }
            started.await();
            sleep(300);
            redis.kill();
            Throwable whileDown = catchThrowable(() -> store.events().lastSequence(job));
            HealthReport downReport = store.health();
            sleep(500);
            redis.start();
            sleep(200);
            restarted.set(true);
            for (Thread t : writers) {
                t.join(120_000);
            }

            assertThat(whileDown).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + redis.port());
            assertThat(downReport.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(retries.get()).as("appends retried through the outage").isPositive();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(WRITERS * BATCHES * BATCH);
            List<EventRecord> stored;
            try (Stream<EventRecord> s = store.events().query(EventFilter.forJob(job))) {
                stored = s.toList();
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).sequence()).as("gap-free").isEqualTo(i + 1);
                assertThat(ids.add(stored.get(i).id())).as("stored once: %s", stored.get(i).id()).isTrue();
            }
            assertThat(ids).isEqualTo(acknowledged);
            assertThat(store.events().lastSequence(job)).isEqualTo(stored.size());
            assertThat(store.sessions().load("s-1")).contains(session);
            LockLease after = store.locks().tryAcquire("restart-lock", Duration.ofSeconds(5)).orElseThrow();
            assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
            assertThat(store.health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void withoutPersistenceARestartLosesTheDataAndTheStoreSaysSo() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--appendonly", "no");
                UnifiedStorage store = RedisTestServer.open(config(redis), StorageContext.withoutProject())) {
            assertThat(store.capabilities()).doesNotContain(Capability.DURABLE);
            HealthReport fresh = store.health();
            assertThat(fresh.status()).as("not durable is not unhealthy").isEqualTo(HealthStatus.HEALTHY);
            assertThat(fresh.details()).containsEntry("durable", false);
            assertThat((String) fresh.details().get("durability")).contains("no persistence");
            JobRef job = JobRef.of("repo", "volatile");
            store.events().append(job, List.of(NewEvent.of("a", null), NewEvent.of("b", null)));
            LockLease zombie = store.locks().tryAcquire("volatile-lock", Duration.ofMinutes(5)).orElseThrow();

            redis.kill();
            redis.start();

            HealthReport after = store.health();
            assertThat(after.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(after.message()).contains("lost its data");
            assertThat(after.details()).containsEntry("store_marker_intact", false);
            // The documented loss: the log is gone and starts again at 1.
            assertThat(store.events().lastSequence(job)).isZero();
            assertThat(store.events().append(job, List.of(NewEvent.of("c", null))).firstSequence()).isEqualTo(1);
            // No token reuse: the holder from before the restart is refused, a new grant is above its token.
            Throwable fenced = catchThrowable(() -> store.sessions().save(
                    PersistedSession.create("s-after", Instant.now()), zombie.fence()));
            assertThat(fenced).isInstanceOf(FencingException.class);
            LockLease next = store.locks().tryAcquire("volatile-lock", Duration.ofMinutes(5)).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(zombie.fencingToken());
            assertThat(catchThrowable(() -> store.sessions().save(
                    PersistedSession.create("s-zombie", Instant.now()), zombie.fence())))
                    .isInstanceOf(FencingException.class);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
