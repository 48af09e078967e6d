package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file event log beyond the contract: group commit, rotation, indexes, compression, purge, recovery. */
class EventLogTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path base;

    private final TestClock clock = TestClock.at(T0);
    private final JobRef job = JobRef.of("repo", "job-1");

    private FileStorage open(Map<String, Object> extra) {
        Map<String, Object> cfg = new HashMap<>(Map.of("base_dir", base.toString()));
        cfg.putAll(extra);
        return new FileStorageProvider().open(FileConfig.bind(cfg), new StorageContext(clock, null));
    }

    private static List<EventRecord> query(FileStorage s, EventFilter f) {
        try (Stream<EventRecord> st = s.events().query(f)) {
            return st.toList();
        }
    }

    private static NewEvent event(String type, int n, Instant at) {
        ObjectNode data = Json.nodes().objectNode().put("n", n).put("pad", "p".repeat(100));
        return new NewEvent("e-" + n, at, type, data, null, "agent-" + (n % 3));
    }

    private Path jobDir() {
        return base.resolve("events").resolve(job.repository()).resolve(job.jobId());
    }

    @Test
    void concurrentAppendersShareOneCommit() throws Exception {
        try (FileStorage s = open(Map.of())) {
            s.events().append(job, List.of(NewEvent.of("warm_up", null)));
            JobLog log = s.fileEvents().log(job);
            long before = log.commits();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<AppendResult>> results = new ArrayList<>();
            try {
                log.holdingCommitLock(() -> {
                    for (int i = 0; i < 8; i++) {
                        int n = i;
                        results.add(pool.submit(() -> s.events().append(job, List.of(NewEvent.of("t" + n, null),
                                NewEvent.of("u" + n, null)))));
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (log.queued() < 8 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                });
                List<Long> firsts = new ArrayList<>();
                for (Future<AppendResult> f : results) {
                    AppendResult r = f.get(30, TimeUnit.SECONDS);
                    assertThat(r.lastSequence()).isEqualTo(r.firstSequence() + 1);
                    firsts.add(r.firstSequence());
                }
                assertThat(firsts).containsExactlyInAnyOrder(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L);
            } finally {
                pool.shutdownNow();
            }
            assertThat(log.commits() - before).as("eight queued batches, one write and one force").isEqualTo(1);
            assertThat(query(s, EventFilter.forJob(job))).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 17).boxed().toList());
        }
    }

    @Test
    void segmentsRotateAndQueriesReadAcrossThemInOrderWithIndexes() throws IOException {
        List<NewEvent> all = new ArrayList<>();
        try (FileStorage s = open(Map.of("max_file_size", 2048))) {
            for (int i = 1; i <= 60; i++) {
                NewEvent e = event(i % 4 == 0 ? "agent_failed" : "agent_completed", i, T0.plusSeconds(i));
                all.add(e);
                s.events().append(job, List.of(e));
            }
            assertThat(Segments.scan(jobDir()).live()).as("rotated into several segments").hasSizeGreaterThan(5);
            assertThat(s.events().lastSequence(job)).isEqualTo(60);
            assertThat(query(s, EventFilter.forJob(job))).extracting(EventRecord::id)
                    .containsExactlyElementsOf(all.stream().map(NewEvent::id).toList());
            assertThat(query(s, EventFilter.forJob(job).withAfter(T0.plusSeconds(30)).withBefore(T0.plusSeconds(35))))
                    .extracting(EventRecord::sequence).containsExactly(31L, 32L, 33L, 34L);
            assertThat(query(s, EventFilter.forJob(job).withEventType("agent_failed").withAfterSequence(40)))
                    .extracting(EventRecord::sequence).containsExactly(44L, 48L, 52L, 56L, 60L);
            assertThat(query(s, EventFilter.forJob(job).withAgentId("agent-1").withLimit(3)))
                    .extracting(EventRecord::sequence).containsExactly(1L, 4L, 7L);
            EventStats stats = s.events().aggregate(job);
            assertThat(stats.totalEvents()).isEqualTo(60);
            assertThat(stats.errorCount()).isEqualTo(15);
            assertThat(stats.successCount()).isEqualTo(45);
            assertThat(stats.firstEvent()).isEqualTo(T0.plusSeconds(1));
            assertThat(stats.lastEvent()).isEqualTo(T0.plusSeconds(60));
            assertThat(stats.lastSequence()).isEqualTo(60);
        }
        try (FileStorage s = open(Map.of("max_file_size", 2048))) {
            assertThat(s.events().append(job, List.of(NewEvent.of("after_restart", null))).firstSequence())
                    .isEqualTo(61);
        }
    }

    @Test
    void statsComeFromTheSealedIndexesAndAStaleIndexIsRecomputed() throws IOException {
        try (FileStorage s = open(Map.of("max_file_size", 2048))) {
            for (int i = 1; i <= 30; i++) {
                s.events().append(job, List.of(event("agent_completed", i, T0.plusSeconds(i))));
            }
            SegmentFile sealed = Segments.scan(jobDir()).live().get(0);
            SegmentIndex idx = SegmentIndexes.readIndexFile(sealed);
            assertThat(idx).isNotNull();
            // An index that matches its segment's size is trusted: the stats read it, not the events.
            Map<String, Long> doctored = new HashMap<>(idx.countsByType());
            doctored.put("agent_completed", doctored.get("agent_completed") + 1000);
            SegmentIndexes.writeIndexFile(sealed, new SegmentIndex(idx.firstSequence(), idx.lastSequence(),
                    idx.eventCount() + 1000, idx.minTimestamp(), idx.maxTimestamp(), doctored, idx.segmentBytes(),
                    idx.blocks()));
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(1030);
            // One whose size does not match is stale and ignored.
            SegmentIndexes.writeIndexFile(sealed, new SegmentIndex(idx.firstSequence(), idx.lastSequence(),
                    idx.eventCount() + 1000, idx.minTimestamp(), idx.maxTimestamp(), doctored,
                    idx.segmentBytes() + 1, idx.blocks()));
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(30);
        }
    }

    @Test
    void compressedAndMisnamedSegmentsAreReadBySniffingTheContent() throws IOException {
        Files.createDirectories(jobDir());
        String line1 = "{\"sequence\":1,\"id\":\"a\",\"timestamp\":\"2026-01-15T10:00:01Z\",\"event_type\":\"x\"}\n";
        String line2 = "{\"sequence\":2,\"id\":\"b\",\"timestamp\":\"2026-01-15T10:00:02Z\",\"event_type\":\"y\"}\n";
        String line3 = "{\"sequence\":3,\"id\":\"c\",\"timestamp\":\"2026-01-15T10:00:03Z\",\"event_type\":\"z\"}\n";
        // Plain text under a .gz name, as the original tool wrote rotated files.
        Files.writeString(jobDir().resolve("events-20260115_100000-000000000001-000000000002.jsonl.gz"),
                line1 + line2);
        // Real gzip.
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(
                jobDir().resolve("events-20260115_100003-000000000003-000000000003.jsonl.gz")))) {
            out.write(line3.getBytes(StandardCharsets.UTF_8));
        }
        try (FileStorage s = open(Map.of())) {
            assertThat(query(s, EventFilter.forJob(job))).extracting(EventRecord::id).containsExactly("a", "b", "c");
            assertThat(s.events().lastSequence(job)).isEqualTo(3);
            assertThat(s.events().aggregate(job).countsByType()).containsOnlyKeys("x", "y", "z");
            assertThat(s.events().append(job, List.of(NewEvent.of("next", null))).firstSequence()).isEqualTo(4);
            assertThat(s.events().listJobs("repo")).containsExactly(job);
        }
    }

    @Test
    void purgeAndDeleteJobKeepSequencesAndTheFloor() throws IOException {
        try (FileStorage s = open(Map.of("max_file_size", 4096))) {
            for (int i = 1; i <= 100; i++) {
                s.events().append(job, List.of(event("agent_progress", i, T0.plusSeconds(i))));
            }
            assertThat(s.events().purge(job, T0.plusSeconds(51))).isEqualTo(50);
            List<EventRecord> rest = query(s, EventFilter.forJob(job));
            assertThat(rest).hasSize(50);
            assertThat(rest.get(0).sequence()).isEqualTo(51);
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(50);
            assertThat(s.events().append(job, List.of(NewEvent.of("x", null))).firstSequence()).isEqualTo(101);

            assertThat(s.events().purge(job, T0.plusSeconds(100_000))).isEqualTo(51);
            assertThat(query(s, EventFilter.forJob(job))).isEmpty();
            assertThat(s.events().lastSequence(job)).as("the floor survives a purge of everything").isEqualTo(101);
            assertThat(s.events().listJobs(null)).doesNotContain(job);
        }
        try (FileStorage s = open(Map.of("max_file_size", 4096))) {
            assertThat(s.events().lastSequence(job)).as("and a restart").isEqualTo(101);
            assertThat(s.events().append(job, List.of(NewEvent.of("y", null))).firstSequence()).isEqualTo(102);
            assertThat(s.events().deleteJob(job)).isEqualTo(1);
            assertThat(s.events().lastSequence(job)).as("deleteJob keeps the floor too").isEqualTo(102);
        }
        try (FileStorage s = open(Map.of("max_file_size", 4096))) {
            assertThat(s.events().lastSequence(job)).as("and so does a restart after it").isEqualTo(102);
            assertThat(s.events().append(job, List.of(NewEvent.of("z", null))).firstSequence()).isEqualTo(103);
        }
    }

    @Test
    void twoStoresInOneJvmAppendToOneJobWithoutCollisions() throws Exception {
        try (FileStorage a = open(Map.of("max_file_size", 8192)); FileStorage b = open(Map.of("max_file_size", 8192))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                FileStorage s = t % 2 == 0 ? a : b;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        s.events().append(job, List.of(NewEvent.of("t", null), NewEvent.of("u", null)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(query(a, EventFilter.forJob(job))).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 400).boxed().toList());
            assertThat(b.events().lastSequence(job)).isEqualTo(400);
        }
    }

    @Test
    void aSubscriberOfAnotherStoreInstanceIsWokenWithoutPollingDelay() throws Exception {
        try (FileStorage writer = open(Map.of()); FileStorage reader = open(Map.of())) {
            writer.events().append(job, List.of(NewEvent.of("first", null)));
            List<EventRecord> seen = new CopyOnWriteArrayList<>();
            try (EventSubscription sub = reader.events().subscribe(EventFilter.forJob(job), 0, seen::add)) {
                awaitSize(seen, 1);
                writer.events().append(job, List.of(NewEvent.of("second", null), NewEvent.of("third", null)));
                awaitSize(seen, 3);
                assertThat(seen).extracting(EventRecord::eventType).containsExactly("first", "second", "third");
                assertThat(sub.lastDeliveredSequence()).isEqualTo(3);
            }
        }
    }

    @Test
    void withoutFileLocksTheStoreIsSingleProcessButWorks() {
        try (FileStorage s = open(Map.of("enable_file_locks", false))) {
            assertThat(s.capabilities()).doesNotContain(io.prodigy.storage.Capability.MULTI_PROCESS)
                    .contains(io.prodigy.storage.Capability.DURABLE);
            s.events().append(job, List.of(NewEvent.of("a", null), NewEvent.of("b", null)));
            assertThat(s.events().lastSequence(job)).isEqualTo(2);
        }
        try (FileStorage s = open(Map.of())) {
            assertThat(s.capabilities()).contains(io.prodigy.storage.Capability.MULTI_PROCESS);
        }
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSize(n);
    }
}
