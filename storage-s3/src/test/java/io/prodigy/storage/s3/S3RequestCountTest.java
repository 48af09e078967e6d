package io.prodigy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request cost docs/s3.md promises, counted by the backend's own request counter: an append or a record write
 * this process can decide on what it wrote last is one PUT; a lock step likewise; a claim is the job's listing plus
 * one PUT per item claimed.
 */
class S3RequestCountTest {

    private final String prefix = S3TestServer.namespace("S3RequestCountTest");
    private S3Storage storage;

    @BeforeEach
    void open() {
        StorageConfig cfg = S3TestServer.config(prefix);
        storage = S3Storage.open(S3StorageProvider.bind(cfg), cfg, StorageContext.withoutProject(), List.of());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** The requests {@code call} sent, by operation. */
    private Map<String, Long> requestsOf(Supplier<?> call) {
        Map<String, Long> before = storage.requestCounts();
        call.get();
        Map<String, Long> out = new TreeMap<>();
        storage.requestCounts().forEach((op, n) -> {
            long d = n - before.getOrDefault(op, 0L);
            if (d > 0) {
                out.put(op, d);
            }
        });
        return out;
    }

    private static List<NewEvent> batch(int n) {
        return IntStream.range(0, n).mapToObj(i -> new NewEvent(UUID.randomUUID().toString(), Instant.now(), "t",
                Json.nodes().objectNode().put("i", i), null, null)).toList();
    }

    @Test
    void anAppendAfterThisProcessAppendedLastIsOnePut() {
        JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());
        storage.events().append(job, batch(100));

        assertThat(requestsOf(() -> storage.events().append(job, batch(100)))).isEqualTo(Map.of("PutObject", 1L));
    }

    @Test
    void aRecordUpdateAfterThisProcessWroteItLastIsOnePut() {
        PersistedSession saved = storage.sessions().save(PersistedSession.create("s-" + UUID.randomUUID(),
                Instant.now()));

        assertThat(requestsOf(() -> storage.sessions().save(saved.withState(SessionState.IN_PROGRESS))))
                .isEqualTo(Map.of("PutObject", 1L));
        assertThat(requestsOf(() -> storage.sessions().updateState(saved.id(), SessionState.COMPLETED)))
                .isEqualTo(Map.of("PutObject", 1L));
    }

    @Test
    void aLockStepAfterThisProcessWroteTheKeyLastIsOnePut() {
        String key = "lock-" + UUID.randomUUID();
        LockLease lease = storage.locks().tryAcquire(key, Duration.ofMinutes(1)).orElseThrow();

        assertThat(requestsOf(() -> storage.locks().extend(lease, Duration.ofMinutes(2))))
                .isEqualTo(Map.of("PutObject", 1L));
        assertThat(requestsOf(() -> {
            storage.locks().release(lease);
            return null;
        })).isEqualTo(Map.of("PutObject", 1L));
    }

    @Test
    void aClaimIsTheJobsListingAndOnePutPerItem() {
        JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());
        for (int i = 0; i < 10; i++) {
            storage.dlq().add(job, DlqFailure.of("item-" + i, null, "e"));
        }

        // The items' generations are cached from the adds, so the listing needs no GET.
        assertThat(requestsOf(() -> storage.dlq().claim(job, "w", 3, Duration.ofMinutes(1))))
                .isEqualTo(Map.of("ListObjectsV2", 1L, "PutObject", 3L));
    }
}
