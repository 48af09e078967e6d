package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sparse time index of segments (issue 16): a time-range query reads only the blocks whose timestamps can match,
 * and returns exactly what a full scan filtered by time returns, also when timestamps do not grow with sequences, on
 * the active segment, and with an index file written before the time index existed.
 */
class TimeIndexTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path base;

    private final JobRef job = JobRef.of("repo", "job-1");

    private FileStorage open() {
        return new FileStorageProvider().open(FileConfig.bind(Map.of("base_dir", base.toString(), "max_file_size",
                512 * 1024)), new StorageContext(TestClock.at(T0), null));
    }

    private Path jobDir() {
        return base.resolve("events").resolve(job.repository()).resolve(job.jobId());
    }

    private static List<EventRecord> query(FileStorage s, EventFilter f) {
        try (Stream<EventRecord> st = s.events().query(f)) {
            return st.toList();
        }
    }

    /** Appends {@code n} events of about 200 bytes; event i is stamped {@code time(i)}. */
    private void append(FileStorage s, int n, java.util.function.LongFunction<Instant> time) {
        append(s, "e-", n, time);
    }

    private void append(FileStorage s, String idPrefix, int n, java.util.function.LongFunction<Instant> time) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ObjectNode data = Json.nodes().objectNode().put("n", i).put("pad", "p".repeat(120));
            batch.add(new NewEvent(idPrefix + i, time.apply(i), "t" + (i % 3), data, null, null));
            if (batch.size() == 50) {
                s.events().append(job, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            s.events().append(job, batch);
        }
    }

    /** What a time-range query must return: every event of the job in the window, by a full scan. */
    private static List<Long> expected(FileStorage s, JobRef job, Instant after, Instant before) {
        return query(s, EventFilter.forJob(job)).stream()
                .filter(e -> e.timestamp().isAfter(after) && e.timestamp().isBefore(before))
                .map(EventRecord::sequence).toList();
    }

    private static List<Long> window(FileStorage s, JobRef job, Instant after, Instant before) {
        return query(s, EventFilter.forJob(job).withAfter(after).withBefore(before)).stream().map(EventRecord::sequence)
                .toList();
    }

    private List<Path> sealedIndexFiles() throws IOException {
        try (Stream<Path> files = Files.list(jobDir())) {
            return files.filter(p -> p.getFileName().toString().matches("events-.*-\\d{12}-\\d{12}\\.index\\.json"))
                    .sorted().toList();
        }
    }

    @Test
    void sealedSegmentsCarryBlocksAndATimeWindowReadsOnlyItsBlocks() throws IOException {
        try (FileStorage s = open()) {
            append(s, 20_000, i -> T0.plusMillis(i));
            List<Path> indexes = sealedIndexFiles();
            assertThat(indexes).hasSizeGreaterThan(3);
            SegmentIndex idx = Json.mapper().readValue(Files.readAllBytes(indexes.get(0)), SegmentIndex.class);
            assertThat(idx.blocks()).hasSizeGreaterThan(2);
            assertThat(idx.blocks().get(0).offset()).isZero();
            assertThat(idx.blocks().get(0).firstSequence()).isEqualTo(idx.firstSequence());
            for (int i = 1; i < idx.blocks().size(); i++) {
                SegmentIndex.Block prev = idx.blocks().get(i - 1);
                SegmentIndex.Block b = idx.blocks().get(i);
                assertThat(b.offset() - prev.offset()).isGreaterThanOrEqualTo(SegmentIndex.BLOCK_BYTES);
                assertThat(b.minTimestamp()).isAfter(prev.maxTimestamp()); // monotonic here
            }

            Instant after = T0.plusMillis(9_000);
            Instant before = T0.plusMillis(9_201);
            List<Long> got = window(s, job, after, before);
            assertThat(got).hasSize(200).isEqualTo(expected(s, job, after, before));
            // Windows at a segment's edges, in the active segment and across the active one.
            for (long[] w : new long[][] {{0, 5}, {19_990, 20_001}, {12_345, 19_999}, {-10, 30_000}}) {
                Instant a = T0.plusMillis(w[0]);
                Instant b = T0.plusMillis(w[1]);
                assertThat(window(s, job, a, b)).isEqualTo(expected(s, job, a, b));
            }
            // With a start sequence as well.
            assertThat(query(s, EventFilter.forJob(job).withAfter(after).withBefore(before).withAfterSequence(9_100)))
                    .extracting(EventRecord::sequence).first().isEqualTo(9_101L);
        }
    }

    @Test
    void theActiveSegmentsIndexStoredOnCloseServesTheNextProcessAndMoreAppends() throws IOException {
        try (FileStorage s = open()) {
            append(s, 1_500, i -> T0.plusMillis(i));
        }
        Path activeIndex = jobDir().resolve("events-20260115_100000-000000000001.index.json");
        SegmentIndex stored = Json.mapper().readValue(Files.readAllBytes(activeIndex), SegmentIndex.class);
        assertThat(stored.eventCount()).isEqualTo(1_500);
        assertThat(stored.blocks()).hasSizeGreaterThan(2);
        try (FileStorage s = open()) {
            append(s, "more-", 300, i -> T0.plusMillis(100 + i)); // after the stored index, in its time range too
            for (long[] w : new long[][] {{0, 50}, {150, 260}, {1_000, 1_100}, {1_450, 1_600}}) {
                Instant a = T0.plusMillis(w[0]);
                Instant b = T0.plusMillis(w[1]);
                assertThat(window(s, job, a, b)).isEqualTo(expected(s, job, a, b)).isNotEmpty();
            }
        }
        try (FileStorage s = open()) {
            Instant a = T0.plusMillis(150);
            Instant b = T0.plusMillis(260);
            assertThat(window(s, job, a, b)).isEqualTo(expected(s, job, a, b)).hasSize(109 + 109);
        }
    }

    @Test
    void timestampsOutOfOrderAreStillFound() throws IOException {
        Random random = new Random(16);
        long[] offsets = new long[20_001];
        for (int i = 1; i < offsets.length; i++) {
            // mostly growing, some far in the past or the future (a clock step, a late appender)
            offsets[i] = i % 97 == 0 ? random.nextInt(20_000) : i;
        }
        try (FileStorage s = open()) {
            append(s, 20_000, i -> T0.plusMillis(offsets[(int) i]));
            for (int k = 0; k < 8; k++) {
                long from = random.nextInt(20_000);
                Instant a = T0.plusMillis(from);
                Instant b = T0.plusMillis(from + random.nextInt(2_000));
                assertThat(window(s, job, a, b)).isEqualTo(expected(s, job, a, b));
            }
        }
    }

    @Test
    void anIndexWithoutBlocksIsRebuiltAndStoredBack() throws IOException {
        try (FileStorage s = open()) {
            append(s, 10_000, i -> T0.plusMillis(i));
        }
        // Rewrite every index file as the earlier format wrote it: no time index.
        for (Path p : sealedIndexFiles()) {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(p));
            assertThat(node.has("blocks")).isTrue();
            node.remove("blocks");
            Files.write(p, Json.mapper().writeValueAsBytes(node));
        }
        try (FileStorage s = open()) {
            Instant after = T0.plusMillis(4_000);
            Instant before = T0.plusMillis(4_101);
            assertThat(window(s, job, after, before)).hasSize(100).isEqualTo(expected(s, job, after, before));
            // Only the segment that can hold the window was read, and its index stored back with blocks.
            List<Integer> counts = blockCounts();
            assertThat(counts).filteredOn(n -> n > 0).hasSize(1);
            assertThat(counts).hasSizeGreaterThan(2).contains(0);
            Instant all = T0.plusMillis(20_000);
            assertThat(window(s, job, T0, all)).isEqualTo(expected(s, job, T0, all));
        }
        assertThat(blockCounts()).as("every index rebuilt with its time index").doesNotContain(0);
    }

    private List<Integer> blockCounts() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (Path p : sealedIndexFiles()) {
            out.add(Json.mapper().readValue(Files.readAllBytes(p), SegmentIndex.class).blocks().size());
        }
        return out;
    }

    @Test
    void purgedSegmentsKeepATimeIndexThatMatchesTheRewrittenFile() throws IOException {
        try (FileStorage s = open()) {
            append(s, 10_000, i -> T0.plusMillis(i));
            // Purges events before T0 + 3 s: rewrites the segment holding that time.
            s.events().purge(job, T0.plusMillis(3_000));
            for (long[] w : new long[][] {{2_990, 3_100}, {5_000, 5_500}, {0, 10_001}}) {
                Instant a = T0.plusMillis(w[0]);
                Instant b = T0.plusMillis(w[1]);
                assertThat(window(s, job, a, b)).isEqualTo(expected(s, job, a, b));
            }
        }
    }
}
