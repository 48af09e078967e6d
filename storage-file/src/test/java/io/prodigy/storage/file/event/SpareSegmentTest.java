package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Spare segments (issue 16): the next active segment is zero-filled and synced by the background thread while the
 * current one fills, taken by the rotation, and never left behind or trusted when it is gone.
 */
class SpareSegmentTest extends OneJobStore {

    private static final long MAX = 64 * 1024;

    private static List<NewEvent> events(int n) {
        List<NewEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(NewEvent.of("e", null));
        }
        return out;
    }

    private List<Path> files(String regex) throws IOException {
        try (Stream<Path> files = Files.list(jobDir())) {
            return files.filter(p -> p.getFileName().toString().matches(regex)).sorted().toList();
        }
    }

    private List<Path> spares() throws IOException {
        return files("\\.spare\\.[0-9a-f]+\\.tmp");
    }

    private List<Path> sealed() throws IOException {
        return files("events-\\d{8}_\\d{6}-\\d{12}-\\d{12}\\.jsonl");
    }

    private List<Path> active() throws IOException {
        return files("events-\\d{8}_\\d{6}-\\d{12}\\.jsonl");
    }

    private static List<Long> sequences(FileStorage s) {
        try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(JOB))) {
            return st.map(EventRecord::sequence).toList();
        }
    }

    private static final io.prodigy.storage.id.JobRef JOB = io.prodigy.storage.id.JobRef.of("repo", "job-1");

    /** Appends single events until the job log has a ready spare (the background thread makes it). */
    private long appendUntilSpareReady(FileStorage s, JobLog log) throws InterruptedException, IOException {
        long appended = 0;
        long deadline = System.nanoTime() + 60_000_000_000L; // a bound against a hang, not a timing assertion
        boolean pastHalf = false;
        while (!log.spareReady()) {
            assertThat(System.nanoTime()).as("a spare is made within a minute").isLessThan(deadline);
            if (!pastHalf) {
                s.events().append(JOB, events(1));
                appended++;
                pastHalf = dataEnd(active().get(0)) > MAX * 6 / 10; // asked for at half; stop well before full
            } else {
                Thread.sleep(5);
            }
        }
        return appended;
    }

    /** Where the data of an active segment ends: its first NUL byte, or its end. */
    private static long dataEnd(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return bytes.length;
    }

    /** Appends until the active segment is sealed; returns how many events that took. */
    private long appendUntilRotation(FileStorage s) throws IOException {
        int sealedBefore = sealed().size();
        long n = 0;
        while (sealed().size() == sealedBefore) {
            s.events().append(JOB, events(1));
            n++;
        }
        return n;
    }

    @Test
    void theRotationTakesTheSpareMadeWhileTheSegmentFilled() throws Exception {
        long total;
        try (FileStorage s = open(MAX)) {
            JobLog log = s.fileEvents().log(job);
            total = appendUntilSpareReady(s, log);
            assertThat(spares()).hasSize(1);
            Path spare = spares().get(0);
            assertThat(Files.size(spare)).isEqualTo(MAX);
            byte[] zeros = Files.readAllBytes(spare);
            assertThat(zeros).containsOnly((byte) 0);

            total += appendUntilRotation(s);
            assertThat(spares()).as("taken by the rotation").isEmpty();
            assertThat(active()).hasSize(1);
            assertThat(Files.size(active().get(0))).as("the new active segment is the spare: zeros to its end")
                    .isEqualTo(MAX);
            s.events().append(JOB, events(3));
            total += 3;
            assertThat(Files.size(active().get(0))).as("appends overwrite it").isEqualTo(MAX);
            assertThat(sequences(s)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        }
        assertThat(spares()).isEmpty();
        for (Path p : sealed()) {
            assertThat(Files.readAllBytes(p)).as("%s is plain JSON lines", p).doesNotContain((byte) 0);
        }
        assertThat(Files.readAllBytes(active().get(0))).as("closing trims the spare's zeros").doesNotContain((byte) 0);
        try (FileStorage s = open(MAX)) {
            assertThat(sequences(s)).hasSize((int) total);
            assertThat(s.events().append(JOB, events(1)).firstSequence()).isEqualTo(total + 1);
        }
    }

    /** Another process's recovery or a rewrite deletes temp files, spares included: the rotation does without. */
    @Test
    void aSpareDeletedBeforeTheRotationIsNotTaken() throws Exception {
        long total;
        try (FileStorage s = open(MAX)) {
            JobLog log = s.fileEvents().log(job);
            total = appendUntilSpareReady(s, log);
            Files.delete(spares().get(0));
            total += appendUntilRotation(s);
            assertThat(active()).hasSize(1);
            assertThat(Files.size(active().get(0))).as("created by the append, preallocated in chunks")
                    .isLessThan(MAX);
            s.events().append(JOB, events(2));
            total += 2;
            assertThat(sequences(s)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        }
        assertThat(spares()).isEmpty();
    }

    @Test
    void closingTheStoreDeletesAReadySpare() throws Exception {
        try (FileStorage s = open(MAX)) {
            appendUntilSpareReady(s, s.fileEvents().log(job));
            assertThat(spares()).hasSize(1);
        }
        assertThat(spares()).isEmpty();
    }

    /** A spare left by a crash is a temp file: the next writer's recovery removes it. */
    @Test
    void aSpareLeftByACrashIsRemovedByRecovery() throws Exception {
        try (FileStorage s = open(MAX)) {
            s.events().append(JOB, events(1));
        }
        Path stray = jobDir().resolve(".spare.abc123.tmp");
        Files.write(stray, new byte[4096]);
        try (FileStorage s = open(MAX)) {
            s.events().append(JOB, events(1));
            assertThat(stray).doesNotExist();
            assertThat(sequences(s)).containsExactly(1L, 2L);
        }
    }
}
