package io.prodigy.storage.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventStoreTest {

    private static final JobRef JOB = JobRef.of("repo", "job-1");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void batchesGetGapFreeSequencesAndReadBackInOrder() throws Exception {
        EventFactory factory = new EventFactory("s");
        List<NewEvent> all = new ArrayList<>();
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("e.db"), true)) {
            for (int b = 0; b < 5; b++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    int n = all.size() + batch.size();
                    batch.add(factory.next(T0.plusMillis(n), EventFixtures.TYPES.get(n % EventFixtures.TYPES.size())));
                }
                assertThat(store.append(JOB, batch)).isEqualTo(all.size() + batch.size());
                all.addAll(batch);
            }
            assertThat(store.append(JobRef.of("repo", "other"), List.of(factory.next()))).isEqualTo(1);
            assertThat(store.lastSequence(JOB)).isEqualTo(35);
            List<EventRecord> read;
            try (Stream<EventRecord> s = store.queryAll(JOB)) {
                read = s.toList();
            }
            assertThat(read).extracting(EventRecord::sequence).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 35).boxed().toList());
            for (int i = 0; i < all.size(); i++) {
                NewEvent sent = all.get(i);
                EventRecord got = read.get(i);
                assertThat(got.id()).isEqualTo(sent.id());
                assertThat(got.timestamp()).isEqualTo(sent.timestamp());
                assertThat(got.eventType()).isEqualTo(sent.eventType());
                assertThat(got.data()).isEqualTo(sent.data());
                assertThat(got.correlationId()).isEqualTo(sent.correlationId());
                assertThat(got.agentId()).isEqualTo(sent.agentId());
            }
        }
    }

    @Test
    void timeRangeBoundsAreExclusiveAndAggregateMatchesTheEvents() throws Exception {
        EventFactory factory = new EventFactory("s");
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("e.db"), true)) {
            List<NewEvent> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(factory.next(T0.plusMillis(i), EventFixtures.TYPES.get(i % EventFixtures.TYPES.size())));
            }
            store.append(JOB, batch);
            List<EventRecord> all;
            try (Stream<EventRecord> s = store.queryAll(JOB)) {
                all = s.toList();
            }
            Instant after = T0.plusMillis(10);
            Instant before = T0.plusMillis(20);
            List<EventRecord> expected = all.stream()
                    .filter(EventFilter.forJob(JOB).withAfter(after).withBefore(before)::matches).toList();
            try (Stream<EventRecord> s = store.queryTimeRange(JOB, after, before)) {
                assertThat(s.toList()).isEqualTo(expected).hasSize(9);
            }
            EventStats.Builder b = EventStats.builder(JOB);
            all.forEach(b::add);
            assertThat(store.aggregate(JOB)).isEqualTo(b.build());
        }
    }

    @Test
    void concurrentWritersNeverShareASequence() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("e.db"), false)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    EventFactory f = new EventFactory("w" + t);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            store.append(JOB, f.batch(3));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(store.lastSequence(JOB)).isEqualTo(300);
            try (Stream<EventRecord> s = store.queryAll(JOB)) {
                assertThat(s.map(EventRecord::id).distinct().count()).isEqualTo(300);
            }
        }
    }

    @Test
    void usesWalAndFullSynchronousCommits() throws Exception {
        try (var c = SqliteDb.open(dir.resolve("p.db"))) {
            assertThat(SqliteDb.pragma(c, "journal_mode")).isEqualTo("wal");
            assertThat(SqliteDb.pragma(c, "synchronous")).isEqualTo("2"); // FULL
        }
    }
}
