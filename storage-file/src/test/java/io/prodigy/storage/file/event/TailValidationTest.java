package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The writer's check of its cached view of the active segment (issue 16): while the job directory keeps the stamp it
 * had when the view was confirmed, an append only reads the byte at the view's end; every change by another writer
 * (here a second store instance in this JVM, which locks like another process) is still seen: appends through the
 * byte, sealing, purging, rotation and trimming through the directory.
 */
class TailValidationTest extends OneJobStore {

    /** Makes the directory's last change old, so the stamps taken from now on are trusted at once. */
    private void settle() throws IOException {
        Files.setLastModifiedTime(jobDir(), FileTime.from(Instant.now().minusSeconds(3600)));
    }

    private static long append(FileStorage s, JobRef job, String type) {
        return s.events().append(job, List.of(NewEvent.of(type, null))).firstSequence();
    }

    private static List<EventRecord> all(FileStorage s, JobRef job) {
        try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
            return st.toList();
        }
    }

    @Test
    void aSettledStampSparesTheSegmentCheckAndAnotherWritersAppendIsStillSeen() throws IOException {
        try (FileStorage a = open(1024 * 1024); FileStorage b = open(1024 * 1024)) {
            JobLog logA = a.fileEvents().log(job);
            assertThat(append(a, job, "a1")).isEqualTo(1);
            assertThat(append(b, job, "b1")).isEqualTo(2);
            settle();
            assertThat(append(a, job, "a2")).as("b's append is seen").isEqualTo(3);
            long checks = logA.segmentChecks();
            assertThat(append(a, job, "a3")).isEqualTo(4);
            assertThat(append(a, job, "a4")).isEqualTo(5);
            assertThat(logA.segmentChecks()).as("confirmed by the stamp and the byte at the end").isEqualTo(checks);

            assertThat(append(b, job, "b2")).isEqualTo(6);
            assertThat(append(a, job, "a5")).as("b's append into the zero-filled tail is seen").isEqualTo(7);
            assertThat(logA.segmentChecks()).as("through the byte at the end").isEqualTo(checks + 1);
            assertThat(append(a, job, "a6")).isEqualTo(8);
            assertThat(logA.segmentChecks()).isEqualTo(checks + 1);

            assertThat(all(b, job)).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 8).boxed().toList());
            assertThat(all(b, job)).extracting(EventRecord::eventType)
                    .containsExactly("a1", "b1", "a2", "a3", "a4", "b2", "a5", "a6");
        }
    }

    @Test
    void anotherWritersPurgeWithoutAppendIsSeenThroughTheDirectory() throws IOException {
        try (FileStorage a = open(1024 * 1024); FileStorage b = open(1024 * 1024)) {
            JobLog logA = a.fileEvents().log(job);
            append(a, job, "a1");
            append(a, job, "a2");
            settle();
            append(a, job, "a3");
            long checks = logA.segmentChecks();
            append(a, job, "a4");
            assertThat(logA.segmentChecks()).isEqualTo(checks);

            // b seals a's active segment (trimmed to its data, so the byte at a's end reads as the end of the file)
            // and removes every event: only the directory tells a.
            assertThat(b.events().purge(job, T0.plusSeconds(3600))).isEqualTo(4);
            assertThat(append(a, job, "a5")).as("numbered after the floor, into a new segment").isEqualTo(5);
            assertThat(logA.segmentChecks()).isGreaterThan(checks);
            assertThat(all(b, job)).extracting(EventRecord::eventType).containsExactly("a5");
        }
        try (FileStorage c = open(1024 * 1024)) {
            assertThat(all(c, job)).extracting(EventRecord::eventType).containsExactly("a5");
        }
    }

    @Test
    void anotherWritersRotationAndCloseAreSeen() throws IOException {
        try (FileStorage a = open(4096)) {
            append(a, job, "a1");
            settle();
            append(a, job, "a2");
            try (FileStorage b = open(4096)) {
                // Enough to rotate a's active segment away (sealed by b, after appending to it) at least once.
                for (int i = 0; i < 60; i++) {
                    append(b, job, "b");
                }
            } // b trims its active segment on closing and writes its index
            long seq = append(a, job, "a3");
            assertThat(seq).isEqualTo(63);
            assertThat(all(a, job)).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 63).boxed().toList());
        }
        try (FileStorage c = open(4096)) {
            List<EventRecord> events = all(c, job);
            assertThat(events).hasSize(63);
            assertThat(events.get(62).eventType()).isEqualTo("a3");
        }
    }

    @Test
    void aStampIsTrustedOnlyWhenTheDirectoryHasSettledAndHoldsUntilAnEntryChanges() throws IOException {
        Path dir = Files.createDirectories(base.resolve("d"));
        Files.writeString(dir.resolve("x"), "x");
        assertThat(DirectoryStamp.of(dir).trusted()).as("just changed").isFalse();
        assertThat(DirectoryStamp.of(dir).stillHolds(dir)).isFalse();

        Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minusSeconds(60)));
        DirectoryStamp stamp = DirectoryStamp.of(dir);
        assertThat(stamp.trusted()).isTrue();
        assertThat(stamp.stillHolds(dir)).isTrue();
        Files.writeString(dir.resolve("x"), "changed in place"); // the file, not the directory
        assertThat(stamp.stillHolds(dir)).isTrue();

        Files.move(dir.resolve("x"), dir.resolve("y"));
        assertThat(stamp.stillHolds(dir)).as("an entry renamed").isFalse();
    }
}
