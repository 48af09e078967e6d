package io.prodigy.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.io.IoErrors;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and damaged files: each gets a clear error naming the path (or is skipped with a warning), and nothing
 * else stored is lost.
 */
class BadInputTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path tmp;

    private final TestClock clock = TestClock.at(T0);

    private FileStorage open(Path base) {
        return new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(base), new StorageContext(clock, null));
    }

    /**
     * The data of a segment: an open store's active segment is preallocated, its data ends at the zero-filled tail
     * (checked to hold nothing else).
     */
    static String dataOf(Path segment) throws IOException {
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        int nul = text.indexOf('\u0000');
        if (nul < 0) {
            return text;
        }
        assertThat(text.substring(nul).replace("\u0000", "")).as("the preallocated tail of %s", segment).isEmpty();
        return text.substring(0, nul);
    }

    private static List<EventRecord> all(FileStorage s, JobRef job) {
        try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
            return st.toList();
        }
    }

    @Test
    void anUnwritableBaseDirectoryFailsNamingThePathAndTheFix() throws IOException {
        Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path base = Files.createDirectory(tmp.resolve("readonly"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("r-x------"));
        try {
            assertThatThrownBy(() -> open(base)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(base.toString()).hasMessageContaining("not writable")
                    .hasMessageContaining("chmod");
        } finally {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFileWhereTheBaseDirectoryShouldBeFailsClearly() throws IOException {
        Path file = Files.writeString(tmp.resolve("home-is-a-file"), "x");
        assertThatThrownBy(() -> open(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("is a file");
        assertThatThrownBy(() -> open(file.resolve("below"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aFileWhereAStoreDirectoryShouldBeFailsThatStoreOnlyAndChangesNothingElse() throws IOException {
        Path base = tmp.resolve("home");
        JobRef job = JobRef.of("r", "j");
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("before", null)));
            Files.writeString(base.resolve("sessions"), "not a directory");

            assertThatThrownBy(() -> s.sessions().save(PersistedSession.create("s1", T0)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(base.resolve("sessions").toString())
                    .hasMessageContaining("directory");
            s.events().append(job, List.of(NewEvent.of("after", null)));
            assertThat(all(s, job)).extracting(EventRecord::eventType).containsExactly("before", "after");
        }
    }

    @Test
    void aCorruptSessionFileIsAClearErrorOnLoadAndSkippedByList() throws IOException {
        Path base = tmp.resolve("home");
        try (FileStorage s = open(base)) {
            s.sessions().save(PersistedSession.create("good", T0));
            s.sessions().save(PersistedSession.create("bad", T0));
            Path bad = base.resolve("sessions/bad.json");
            Files.writeString(bad, "{\"id\": \"bad\", \"state\": ");

            assertThatThrownBy(() -> s.sessions().load("bad")).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(bad.toString()).hasMessageContaining("delete it");
            assertThatThrownBy(() -> s.sessions().save(PersistedSession.create("bad", T0)))
                    .as("a corrupt record is not silently overwritten").isInstanceOf(CorruptionException.class);
            assertThat(s.sessions().list(SessionFilter.ALL)).extracting(PersistedSession::id).containsExactly("good");
            assertThat(s.sessions().load("good")).isPresent();
            assertThat(Files.readString(bad)).isEqualTo("{\"id\": \"bad\", \"state\": ");
        }
    }

    @Test
    void aGarbageLineInAnEventFileIsSkippedAndTheRestStaysReadable() throws IOException {
        Path base = tmp.resolve("home");
        JobRef job = JobRef.of("r", "j");
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("a", null)));
            s.events().append(job, List.of(NewEvent.of("b", null)));
            s.events().append(job, List.of(NewEvent.of("c", null)));
            Path segment = base.resolve("events/r/j/events-20260115_100000-000000000001.jsonl");
            List<String> lines = new java.util.ArrayList<>(dataOf(segment).lines().toList());
            lines.add(1, "this is not json");
            lines.add(3, "{\"sequence\": \"garbled\"}");
            Files.write(segment, lines); // damaged in the middle, in place

            assertThat(all(s, job)).extracting(EventRecord::eventType).containsExactly("a", "b", "c");
            s.events().append(job, List.of(NewEvent.of("d", null)));
            assertThat(all(s, job)).extracting(EventRecord::sequence).containsExactly(1L, 2L, 3L, 4L);
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(4);
            assertThat(dataOf(segment).lines()).as("damage in the middle is not 'repaired' away")
                    .contains("this is not json");
        }
        try (FileStorage reopened = open(base)) {
            assertThat(reopened.events().lastSequence(job)).isEqualTo(4);
            assertThat(all(reopened, job)).extracting(EventRecord::eventType).containsExactly("a", "b", "c", "d");
        }
    }

    @Test
    void garbageAtTheEndOfAnEventFileIsTreatedAsATornWriteAndRemoved() throws IOException {
        Path base = tmp.resolve("home");
        JobRef job = JobRef.of("r", "j");
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("a", null), NewEvent.of("b", null)));
            Path segment = base.resolve("events/r/j/events-20260115_100000-000000000001.jsonl");
            Files.writeString(segment, "\u0000\u0000garbage\n", StandardOpenOption.APPEND);
            assertThat(all(s, job)).extracting(EventRecord::eventType).containsExactly("a", "b");
            s.events().append(job, List.of(NewEvent.of("c", null)));
            assertThat(all(s, job)).extracting(EventRecord::sequence).containsExactly(1L, 2L, 3L);
            Path sealed = base.resolve("events/r/j/events-20260115_100000-000000000001-000000000002.jsonl");
            assertThat(Files.readString(sealed)).doesNotContain("garbage").endsWith("\n");
        }
    }

    @Test
    void aTornTailIsNeverReadAndIsRepairedByTheNextAppend() throws IOException {
        Path base = tmp.resolve("home");
        JobRef job = JobRef.of("r", "j");
        Path segment = base.resolve("events/r/j/events-20260115_100000-000000000001.jsonl");
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("a", null)));
        }
        String committed = Files.readString(segment, StandardCharsets.UTF_8);
        Files.writeString(segment, "{\"sequence\":2,\"batch_more\":true,\"id\":\"x\",\"timestamp\":\"2026-01-15T10:00:00Z\","
                + "\"event_type\":\"half\"}\n{\"sequence\":3,\"id\":\"y\",\"tim", StandardOpenOption.APPEND);

        try (FileStorage s = open(base)) {
            assertThat(all(s, job)).extracting(EventRecord::eventType).containsExactly("a");
            assertThat(s.events().lastSequence(job)).isEqualTo(1);

            // Sequences 2 and 3 may have been handed out (issue 17): they are never reused.
            assertThat(s.events().append(job, List.of(NewEvent.of("b", null))).firstSequence()).isEqualTo(4);
            assertThat(all(s, job)).extracting(EventRecord::eventType).containsExactly("a", "b");
            // The torn bytes were moved aside, the segment cut to its committed end and sealed with the high-water
            // mark in its name; the next append went to a new segment.
            Path sealed = base.resolve("events/r/j/events-20260115_100000-000000000001-000000000003.jsonl");
            assertThat(Files.readString(sealed, StandardCharsets.UTF_8)).isEqualTo(committed);
            assertThat(Files.exists(segment)).isFalse();
            Path aside = base.resolve("events/r/j/events-20260115_100000-000000000001.jsonl.damaged-"
                    + committed.length() + "-20260115_100000");
            assertThat(Files.readString(aside, StandardCharsets.UTF_8)).startsWith("{\"sequence\":2,")
                    .endsWith("\"id\":\"y\",\"tim");
            assertThat(dataOf(base.resolve("events/r/j/events-20260115_100000-000000000004.jsonl")))
                    .contains("\"sequence\":4,").doesNotContain("half").endsWith("\n");
        }
    }

    @Test
    void aLockFileWithNonsenseIsRefusedClearlyAndOtherLocksWork() throws IOException {
        Path base = tmp.resolve("home");
        try (FileStorage s = open(base)) {
            s.locks().tryAcquire("other", Duration.ofMinutes(1)).orElseThrow();
            Files.createDirectories(base.resolve("locks"));
            Path lock = base.resolve("locks/broken.lock");
            Files.writeString(lock, "\u0000\u0001 garbage {{");

            assertThatThrownBy(() -> s.locks().tryAcquire("broken", Duration.ofMinutes(1)))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining(lock.toString())
                    .hasMessageContaining("delete the file");
            assertThatThrownBy(() -> s.sessions().save(PersistedSession.create("s", T0), new Fence("broken", 1)))
                    .as("a fenced write against an unreadable lock is refused").isInstanceOf(CorruptionException.class);
            assertThat(s.sessions().load("s")).isEmpty();
            assertThat(s.locks().list()).extracting(l -> l.key()).containsExactly("other");
            assertThat(s.locks().tryAcquire("third", Duration.ofMinutes(1))).isPresent();
        }
    }

    @Test
    void idsWithDotDotOrSlashAreRejectedBeforeTouchingAnyPath() {
        Path base = tmp.resolve("home");
        try (FileStorage s = open(base)) {
            assertThatThrownBy(() -> s.sessions().load("../escape")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("session id");
            assertThatThrownBy(() -> s.sessions().load("a/b")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> JobRef.of("..", "job")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> s.locks().tryAcquire("x/../../etc", Duration.ofSeconds(1)))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> s.checkpoints().load(CheckpointScope.workflow("wf"), "../x"))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> s.events().listJobs("../..")).isInstanceOf(InvalidInputException.class);
        }
        try (Stream<Path> outside = Files.list(tmp)) {
            assertThat(outside).extracting(p -> p.getFileName().toString()).containsExactly("home");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewerLayoutVersionIsRefusedWithWhatToDo() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(base.resolve("layout.json"), "{\"layout_version\": 7}");
        assertThatThrownBy(() -> open(base)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("layout version 7").hasMessageContaining("only understands layout version 1")
                .hasMessageContaining("Upgrade");
    }

    @Test
    void aFullDiskBecomesStorageFullNamingThePath() {
        Path p = tmp.resolve("events/r/j/seg.jsonl");
        var e = IoErrors.translate("appending to", p, new IOException("No space left on device"));
        assertThat(e).isInstanceOf(StorageFullException.class).hasMessageContaining(p.toString())
                .hasMessageContaining("Nothing already stored was changed");
    }

    @Test
    void badConfigurationFailsWithTheKeyPathAndDeprecatedOptionsStillWork() {
        assertThatThrownBy(() -> FileConfig.bind(Map.of("max_file_sise", 10)))
                .isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("storage.backend_config.max_file_sise").hasMessageContaining("max_file_size");
        assertThatThrownBy(() -> FileConfig.bind(Map.of("max_file_size", 10)))
                .isInstanceOf(StorageConfigException.class).hasMessageContaining("max_file_size");
        assertThatThrownBy(() -> FileConfig.bind(Map.of("retention", Map.of("max_age", "soon"))))
                .isInstanceOf(StorageConfigException.class).hasMessageContaining("storage.backend_config.retention");

        FileConfig cfg = FileConfig.bind(Map.of("base_dir", tmp.resolve("h").toString(), "use_global", false,
                "auto_migrate_legacy", false, "retention", Map.of("max_age", "30d", "max_events_per_job", 100,
                        "repositories", Map.of("big-repo", Map.of("max_events_per_job", 5)))));
        assertThat(cfg.autoMigrateLegacy()).isFalse();
        assertThat(cfg.retention().policyFor("big-repo").maxEventsPerJob()).isEqualTo(5);
        assertThat(cfg.retention().policyFor("big-repo").maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(cfg.retention().policyFor("other").maxEventsPerJob()).isEqualTo(100);
        try (var s = new FileStorageProvider().open(StorageConfig.forBackend("file")
                .withBackendConfig(Map.of("base_dir", tmp.resolve("h").toString(), "use_global", false)),
                new StorageContext(clock, null))) {
            assertThat(((FileStorage) s).baseDir()).isEqualTo(tmp.resolve("h").toAbsolutePath());
        }
        assertThat(FileConfig.DEFAULT.baseDir().toString()).endsWith(".prodigy");
        assertThat(FileConfig.DEFAULT.maxFileSize()).isEqualTo(104_857_600L);
    }
}
