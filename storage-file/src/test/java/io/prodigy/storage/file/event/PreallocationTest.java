package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The preallocated active segment (issue 16): appends overwrite a zero-filled tail, readers stop at it, sealing and
 * closing trim it, and a file left with it by a crash (clean or with a torn write in it) is read and repaired.
 */
class PreallocationTest extends OneJobStore {

    private Path activeSegment() {
        return jobDir().resolve("events-20260115_100000-000000000001.jsonl");
    }

    private static List<Long> sequences(FileStorage s, JobRef job) {
        try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
            return st.map(EventRecord::sequence).toList();
        }
    }

    private static int firstNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<NewEvent> events(int n) {
        List<NewEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(NewEvent.of("e", null));
        }
        return out;
    }

    @Test
    void theActiveSegmentIsPreallocatedAndTrimmedOnClose() throws IOException {
        try (FileStorage s = open(1024 * 1024)) {
            s.events().append(job, events(3));
            byte[] bytes = Files.readAllBytes(activeSegment());
            int end = firstNul(bytes);
            assertThat(end).as("the data ends at a zero-filled tail").isPositive();
            assertThat(bytes.length).as("preallocated ahead of the data").isGreaterThan(end + 4096);
            assertThat(Arrays.copyOfRange(bytes, end, bytes.length)).containsOnly((byte) 0);
            assertThat(new String(bytes, 0, end, StandardCharsets.UTF_8).lines()).hasSize(3);
            s.events().append(job, events(2));
            assertThat(Files.size(activeSegment())).as("appends overwrite the tail").isEqualTo(bytes.length);
            assertThat(sequences(s, job)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(s.events().lastSequence(job)).isEqualTo(5);
        }
        byte[] closed = Files.readAllBytes(activeSegment());
        assertThat(firstNul(closed)).as("closing trims the tail: plain JSON lines").isEqualTo(-1);
        assertThat(new String(closed, StandardCharsets.UTF_8).lines()).hasSize(5);
    }

    @Test
    void sealedSegmentsAreTrimmedToPlainJsonLines() throws IOException {
        try (FileStorage s = open(4096)) {
            for (int i = 0; i < 100; i++) {
                s.events().append(job, events(1));
            }
            List<Path> sealed;
            try (Stream<Path> files = Files.list(jobDir())) {
                sealed = files.filter(p -> p.getFileName().toString().matches("events-\\d{8}_\\d{6}-\\d{12}-\\d{12}"
                        + "\\.jsonl")).toList();
            }
            assertThat(sealed).hasSizeGreaterThan(1);
            for (Path p : sealed) {
                byte[] bytes = Files.readAllBytes(p);
                assertThat(firstNul(bytes)).as("%s has no zero tail", p).isEqualTo(-1);
                assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
            }
            assertThat(sequences(s, job)).hasSize(100).last().isEqualTo(100L);
        }
    }

    /** What a writer killed after a commit leaves: the data, then zeros. The next store reads and continues it. */
    @Test
    void aPreallocatedSegmentLeftByACrashIsReadAndAppendedTo() throws IOException {
        byte[] image = crashImage(4);
        try (FileStorage s = open(1024 * 1024)) {
            assertThat(sequences(s, job)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(s.events().lastSequence(job)).isEqualTo(4);
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(4);
            assertThat(s.events().append(job, events(1)).firstSequence()).isEqualTo(5);
            assertThat(Files.size(activeSegment())).as("the same segment, its tail reused").isEqualTo(image.length);
            assertThat(sequences(s, job)).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        try (Stream<Path> files = Files.list(jobDir())) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".damaged-"))).isEmpty();
        }
    }

    /** A writer killed mid-write leaves a prefix of its bytes before the zeros: set aside, never read. */
    @Test
    void aTornWriteInThePreallocatedTailIsSetAsideAndTrimmed() throws IOException {
        byte[] image = crashImage(2);
        int end = firstNul(image);
        String torn = "{\"sequence\":3,\"batch_more\":true,\"id\":\"x\",\"timestamp\":\"2026-01-15T10:00:00Z\","
                + "\"event_type\":\"half\"}\n{\"sequence\":4,\"id\":\"y\",\"tim";
        byte[] tornBytes = torn.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tornBytes, 0, image, end, tornBytes.length);
        Files.write(activeSegment(), image);

        try (FileStorage s = open(1024 * 1024)) {
            assertThat(sequences(s, job)).containsExactly(1L, 2L);
            assertThat(s.events().lastSequence(job)).isEqualTo(2);
            assertThat(s.events().append(job, events(1)).firstSequence()).as("3 and 4 are never reused").isEqualTo(5);
            assertThat(sequences(s, job)).containsExactly(1L, 2L, 5L);
        }
        Path sealed = jobDir().resolve("events-20260115_100000-000000000001-000000000004.jsonl");
        byte[] sealedBytes = Files.readAllBytes(sealed);
        assertThat(sealedBytes).as("cut to the committed end, zeros and all").isEqualTo(Arrays.copyOf(image, end));
        Path aside = jobDir().resolve("events-20260115_100000-000000000001.jsonl.damaged-" + end + "-20260115_100000");
        assertThat(Files.readString(aside, StandardCharsets.UTF_8)).isEqualTo(torn);
    }

    /**
     * After a power loss a write may persist with a hole: some of its blocks, zeros, then its last line. Readers stop
     * at the hole, so the tail scan must not count that last line as committed: it is set aside with the rest.
     */
    @Test
    void aWriteWithAHoleIsNotCommitted() throws IOException {
        byte[] image = crashImage(2);
        int end = firstNul(image);
        String before = "{\"sequence\":3,\"batch_more\":true,\"id\":\"x\",\"timestamp\":\"2026-01-15T10:00:00Z\","
                + "\"event_type\":\"half\"}\n{\"seq";
        String after = "\":4,\"id\":\"y\",\"timestamp\":\"2026-01-15T10:00:00Z\",\"event_type\":\"end\"}\n"
                + "{\"sequence\":5,\"id\":\"z\",\"timestamp\":\"2026-01-15T10:00:00Z\",\"event_type\":\"end\"}\n";
        byte[] b = before.getBytes(StandardCharsets.UTF_8);
        byte[] a = after.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, image, end, b.length);
        int hole = 5000;
        System.arraycopy(a, 0, image, end + b.length + hole, a.length);
        Files.write(activeSegment(), image);

        try (FileStorage s = open(1024 * 1024)) {
            assertThat(sequences(s, job)).containsExactly(1L, 2L);
            assertThat(s.events().lastSequence(job)).isEqualTo(2);
            assertThat(s.events().append(job, events(1)).firstSequence()).isEqualTo(6);
            assertThat(sequences(s, job)).containsExactly(1L, 2L, 6L);
        }
        Path sealed = jobDir().resolve("events-20260115_100000-000000000001-000000000005.jsonl");
        assertThat(Files.readAllBytes(sealed)).isEqualTo(Arrays.copyOf(image, end));
    }

    /** Appends {@code n} events and returns the preallocated file as a killed writer would leave it (data, zeros). */
    private byte[] crashImage(int n) throws IOException {
        byte[] image;
        try (FileStorage s = open(1024 * 1024)) {
            s.events().append(job, events(n));
            image = Files.readAllBytes(activeSegment());
        }
        assertThat(firstNul(image)).isPositive();
        Files.write(activeSegment(), image); // as if the store had never closed
        return image;
    }
}
