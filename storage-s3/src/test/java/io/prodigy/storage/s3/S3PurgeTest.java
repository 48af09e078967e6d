package io.prodigy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Purges of one job from two storages (two processes) with different cut-offs, at the same time: each segment's purge
 * versions are created create-only, so the removals compose and neither purge puts back events the other removed.
 */
class S3PurgeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final String prefix = S3TestServer.namespace("S3PurgeTest");
    private S3Storage a;
    private S3Storage b;

    @BeforeEach
    void open() {
        StorageConfig cfg = S3TestServer.config(prefix);
        a = S3Storage.open(S3StorageProvider.bind(cfg), cfg, StorageContext.withoutProject(), List.of());
        b = S3Storage.open(S3StorageProvider.bind(cfg), cfg, StorageContext.withoutProject(), List.of());
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void concurrentPurgesWithDifferentCutoffsComposeOnEverySegment() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                JobRef job = JobRef.of("repo", "purge-" + UUID.randomUUID());
                // 10 segments of 10 events, event i at T0 + i seconds.
                for (int s = 0; s < 10; s++) {
                    List<NewEvent> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        batch.add(new NewEvent(UUID.randomUUID().toString(), T0.plusSeconds(s * 10L + i), "t",
                                Json.nodes().objectNode(), null, null));
                    }
                    a.events().append(job, batch);
                }
                // a removes sequences 1-43, b 1-56: they race for segments 1-5 (41-50 cut differently) and b
                // alone cuts segment 6 (51-60).
                Instant cutA = T0.plusSeconds(43);
                Instant cutB = T0.plusSeconds(56);
                CountDownLatch go = new CountDownLatch(1);
                Future<Long> fa = pool.submit(() -> {
                    go.await();
                    return a.events().purge(job, cutA);
                });
                Future<Long> fb = pool.submit(() -> {
                    go.await();
                    return b.events().purge(job, cutB);
                });
                go.countDown();
                long removed = fa.get() + fb.get();

                List<Long> left;
                try (Stream<EventRecord> events = a.events().query(EventFilter.forJob(job))) {
                    left = events.map(EventRecord::sequence).toList();
                }
                assertThat(left).as("round %d: only events at or after the later cut-off", round)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(57, 100).boxed()
                                .toList());
                assertThat(removed).as("each event removed is counted once").isEqualTo(56);
                assertThat(b.events().lastSequence(job)).isEqualTo(100);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
