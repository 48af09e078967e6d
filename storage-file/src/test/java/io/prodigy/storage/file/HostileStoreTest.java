package io.prodigy.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.io.FileModes;
import io.prodigy.storage.file.maintenance.RetentionPolicy;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a hostile or damaged store. Links inside the store are never followed (and are reported as
 * corruption), an unsafe base directory is refused, repair never deletes what may have been acknowledged and never
 * hands out a sequence twice, a damaged segment is reported on every read while its intact events are served, a
 * corrupt lock file is repaired without letting fencing tokens go back, and one odd entry does not break listings.
 */
class HostileStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path tmp;

    private final TestClock clock = TestClock.at(T0);
    private final JobRef job = JobRef.of("r", "J");

    private FileStorage open(Path base) {
        return open(base, FileConfig.DEFAULT.maxFileSize());
    }

    private FileStorage open(Path base, long maxFileSize) {
        FileConfig c = FileConfig.DEFAULT.withBaseDir(base);
        c = new FileConfig(c.baseDir(), true, true, maxFileSize, false, true, c.retention());
        return new FileStorageProvider().open(c, new StorageContext(clock, null));
    }

    private static List<EventRecord> all(FileStorage s, JobRef job) {
        try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
            return st.toList();
        }
    }

    private static List<NewEvent> batch(String type, int n) {
        List<NewEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(NewEvent.of(type, Json.nodes().objectNode().put("i", i)));
        }
        return out;
    }

    private static Path onlySegment(Path jobDir) throws IOException {
        try (Stream<Path> files = Files.list(jobDir)) {
            return files.filter(p -> p.getFileName().toString().matches("events-.*\\.jsonl")).findFirst()
                    .orElseThrow();
        }
    }

    private static List<Path> setAside(Path jobDir) throws IOException {
        try (Stream<Path> files = Files.list(jobDir)) {
            return files.filter(p -> p.getFileName().toString().contains(".damaged-")).sorted().toList();
        }
    }

    private static void cut(Path file, int bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - bytes);
        }
    }

    // ------------------------------------------------------------------------------------------------- links

    @Test
    void aSegmentReplacedByALinkIsCorruptionAndTheLinkTargetIsNotTruncated() throws IOException {
        Path base = tmp.resolve("store");
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("a", null)));
        }
        Path victim = Files.writeString(tmp.resolve("v"), "x\n");
        Path seg = onlySegment(base.resolve("events/r/J"));
        Files.delete(seg);
        Files.createSymbolicLink(seg, victim);
        try (FileStorage s = open(base)) {
            assertThatThrownBy(() -> s.events().append(job, List.of(NewEvent.of("b", null))))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining(seg.toString())
                    .hasMessageContaining("symbolic link")
                    .satisfies(e -> assertThat(((StorageException) e).isRetryable()).isFalse());
            assertThat(all(s, job)).isEmpty(); // the link is skipped, not read
        }
        assertThat(Files.readString(victim)).isEqualTo("x\n");
        assertThat(Files.isSymbolicLink(seg)).isTrue();
    }

    @Test
    void aDlqItemsDirectoryReplacedByALinkIsRefusedAndNothingIsDeletedThroughIt() throws IOException {
        Path base = tmp.resolve("store");
        try (FileStorage s = open(base)) {
            s.dlq().add(job, DlqFailure.of("item-1", null, "boom"));
        }
        Path outside = Files.createDirectory(tmp.resolve("elsewhere"));
        Path config = Files.writeString(outside.resolve("app-config.json"), "{}");
        Path items = base.resolve("dlq/r/J/items");
        Files.delete(items.resolve("item-1.json"));
        Files.delete(items);
        Files.createSymbolicLink(items, outside);
        try (FileStorage s = open(base)) {
            assertThatThrownBy(() -> s.dlq().purge(job)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(items.toString());
        }
        assertThat(config).exists();
    }

    @Test
    void aJobDirectoryLinkedOutsideTheStoreIsNeitherListedNorRewrittenByCleanup() throws IOException {
        Path base = tmp.resolve("store");
        Path outsideStore = tmp.resolve("other");
        JobRef other = JobRef.of("r", "K");
        try (FileStorage s = open(outsideStore)) {
            s.events().append(other, batch("old", 5));
        }
        Path outsideJob = outsideStore.resolve("events/r/K");
        byte[] before = Files.readAllBytes(onlySegment(outsideJob));
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("a", null)));
        }
        Files.createSymbolicLink(base.resolve("events/r/K"), outsideJob);
        clock.advance(Duration.ofDays(10));
        try (FileStorage s = open(base)) {
            assertThat(s.events().listJobs(null)).containsExactly(job);
            s.cleanup(new RetentionPolicy(Duration.ofDays(1), 0, false), false);
            assertThatThrownBy(() -> s.events().purge(other, clock.instant()))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("symbolic link");
        }
        assertThat(Files.readAllBytes(onlySegment(outsideJob))).isEqualTo(before);
    }

    @Test
    void anEventsDirectoryReplacedByALinkIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path base = tmp.resolve("store");
        try (FileStorage s = open(base)) {
            s.events().append(job, List.of(NewEvent.of("a", null)));
        }
        Path attacker = Files.createDirectory(tmp.resolve("attacker"));
        Files.move(base.resolve("events"), tmp.resolve("events-moved"));
        Files.createSymbolicLink(base.resolve("events"), attacker);
        try (FileStorage s = open(base)) {
            assertThatThrownBy(() -> s.events().append(job, List.of(NewEvent.of("b", null))))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("symbolic link");
        }
        try (Stream<Path> files = Files.walk(attacker)) {
            assertThat(files.filter(p -> !p.equals(attacker)).toList()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------- base dir

    @Test
    void aWorldOrGroupWritableBaseDirectoryIsRefusedWithTheFix() throws IOException {
        for (String mode : List.of("rwxrwxrwx", "rwxrwx---")) {
            Path base = Files.createDirectory(tmp.resolve("open-" + mode));
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> open(base)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(base.toString()).hasMessageContaining("chmod 700 " + base);
            assertThat(base.resolve("layout.json")).doesNotExist();
        }
    }

    @Test
    void theModeBitCheckRefusesAnotherOwnerAndWritableBitsAndAcceptsAPrivateDirectory() {
        Path base = Path.of("/srv/store");
        UserPrincipal me = () -> "me";
        UserPrincipal mallory = () -> "mallory";
        assertThat(FileModes.unsafeBaseDir(base, PosixFilePermissions.fromString("rwx------"), me, me)).isNull();
        assertThat(FileModes.unsafeBaseDir(base, PosixFilePermissions.fromString("rwxr-xr-x"), me, me)).isNull();
        assertThat(FileModes.unsafeBaseDir(base, PosixFilePermissions.fromString("rwx-w----"), me, me))
                .contains("writable by its group").contains("chmod 700 /srv/store");
        assertThat(FileModes.unsafeBaseDir(base, PosixFilePermissions.fromString("rwxrwxrwx"), me, me))
                .contains("writable by every user");
        assertThat(FileModes.unsafeBaseDir(base, PosixFilePermissions.fromString("rwx------"), mallory, me))
                .contains("owned by 'mallory'").contains("chmod 700");
    }

    // ------------------------------------------------------------------------------------------------- repair

    @Test
    void aCutTailIsMovedAsideAndItsSequencesAreNeverHandedOutAgain() throws IOException {
        Path base = tmp.resolve("store");
        Path jobDir = base.resolve("events/r/J");
        try (FileStorage s = open(base)) {
            for (int b = 0; b < 3; b++) {
                s.events().append(job, batch("b" + b, 10));
            }
        }
        Path seg = onlySegment(jobDir);
        byte[] original = Files.readAllBytes(seg);
        cut(seg, 5);
        try (CapturedLog log = new CapturedLog(); FileStorage s = open(base)) {
            AppendResult r = s.events().append(job, List.of(NewEvent.of("after", null)));
            assertThat(r.firstSequence()).as("21..30 were handed out before; never again").isEqualTo(31);
            List<Path> aside = setAside(jobDir);
            assertThat(aside).hasSize(1);
            int batch3Start = indexOfLine(original, 21);
            byte[] expected = java.util.Arrays.copyOfRange(original, batch3Start, original.length - 5);
            assertThat(Files.readAllBytes(aside.get(0))).as("the cut batch, byte for byte").isEqualTo(expected);
            assertThat(aside.get(0).getFileName().toString()).startsWith(seg.getFileName() + ".damaged-"
                    + batch3Start + "-");
            assertThat(log.text()).contains(aside.get(0).getFileName().toString()).contains("sequences 21..29")
                    .contains("may not have been acknowledged").contains("Sequences continue after 30")
                    .doesNotContain("was never acknowledged");
            assertThat(all(s, job)).extracting(EventRecord::sequence).hasSize(21).endsWith(20L, 31L);
            assertThat(log.text()).contains("holds damaged bytes that a repair moved aside");
        }
        try (FileStorage s = open(base)) {
            assertThat(s.events().append(job, List.of(NewEvent.of("again", null))).firstSequence()).isEqualTo(32);
        }
    }

    @Test
    void aThousandEventBatchCutByTwentyBytesKeepsItsEventsAsideAndSequencesContinueAfterThem() throws IOException {
        Path base = tmp.resolve("store");
        Path jobDir = base.resolve("events/r/J");
        try (FileStorage s = open(base)) {
            s.events().append(job, batch("big", 1000));
        }
        cut(onlySegment(jobDir), 20);
        try (FileStorage s = open(base)) {
            AppendResult r = s.events().append(job, List.of(NewEvent.of("after", null)));
            assertThat(r.firstSequence()).isEqualTo(1001);
            List<Path> aside = setAside(jobDir);
            assertThat(aside).hasSize(1);
            assertThat(Files.readAllLines(aside.get(0))).hasSize(1000).first().asString()
                    .startsWith("{\"sequence\":1,");
            assertThat(s.events().lastSequence(job)).isEqualTo(1001);
        }
    }

    @Test
    void aCutSealedSegmentServesItsIntactEventsAndReportsTheDamageOnEveryRead() throws IOException {
        Path base = tmp.resolve("store");
        Path jobDir = base.resolve("events/r/J");
        try (FileStorage s = open(base, 2048)) {
            s.events().append(job, batch("first", 10));
            s.events().append(job, batch("second", 10)); // seals the first segment
        }
        Path sealed;
        try (Stream<Path> files = Files.list(jobDir)) {
            sealed = files.filter(p -> p.getFileName().toString().matches("events-.*-0+1-0+10\\.jsonl"))
                    .findFirst().orElseThrow();
        }
        cut(sealed, 5);
        try (FileStorage s = open(base, 2048)) {
            for (int read = 0; read < 2; read++) {
                try (CapturedLog log = new CapturedLog()) {
                    List<EventRecord> events = all(s, job);
                    assertThat(events).extracting(EventRecord::sequence).as("1..9 intact, 10 cut, 11..20")
                            .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 11L, 12L, 13L, 14L, 15L, 16L, 17L,
                                    18L, 19L, 20L);
                    assertThat(log.text()).contains(sealed.toString()).contains("is damaged")
                            .contains("sequences 1..9").contains("trailing byte(s)");
                }
            }
            assertThat(s.events().append(job, List.of(NewEvent.of("x", null))).firstSequence()).isEqualTo(21);
        }
    }

    private static int indexOfLine(byte[] segment, long sequence) {
        String text = new String(segment, StandardCharsets.UTF_8);
        return text.indexOf("{\"sequence\":" + sequence + ",");
    }

    @Test
    void aBatchLargerThanMaxFileSizeIsRefusedAndNothingIsWritten() throws IOException {
        Path base = tmp.resolve("store");
        try (FileStorage s = open(base, 2048)) {
            s.events().append(job, batch("small", 2));
            assertThatThrownBy(() -> s.events().append(job, batch("big", 40)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("max_file_size (2048 bytes)")
                    .hasMessageContaining("smaller batches");
            assertThat(all(s, job)).hasSize(2);
            // One event larger than a segment still fits: it gets a segment of its own.
            String large = "x".repeat(4096);
            s.events().append(job, List.of(NewEvent.of("large", Json.nodes().textNode(large))));
            assertThat(s.events().append(job, List.of(NewEvent.of("after", null))).firstSequence()).isEqualTo(4);
        }
        try (Stream<Path> files = Files.list(base.resolve("events/r/J"))) {
            long biggest = files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .mapToLong(p -> p.toFile().length()).max().orElseThrow();
            assertThat(biggest).isLessThan(2048 + 4096 + 512);
        }
    }

    // ------------------------------------------------------------------------------------------------- locks

    @Test
    void aCorruptLockFileIsRepairedByForceReleaseKeepingTheTokenHighWaterMark() throws IOException {
        Path base = tmp.resolve("store");
        long stale;
        try (FileStorage s = open(base)) {
            LockLease l = null;
            for (int i = 0; i < 5; i++) {
                l = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
                s.locks().release(l);
            }
            stale = l.fencingToken();
            s.sessions().save(PersistedSession.create("s-1", T0), new Fence("deploy", stale));
        }
        Files.writeString(base.resolve("locks/deploy.lock"), "{\"key\":\"deploy\",\"fencing_tok");
        try (FileStorage s = open(base)) {
            assertThatThrownBy(() -> s.locks().tryAcquire("deploy", Duration.ofSeconds(30)))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("--force")
                    .hasMessageContaining("Do not delete the file");
            assertThat(s.locks().forceRelease("deploy")).isEmpty();
            LockLease next = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(stale);
            assertThatThrownBy(() -> s.sessions().save(PersistedSession.create("s-2", T0),
                    new Fence("deploy", stale))).isInstanceOf(FencingException.class);
        }
    }

    @Test
    void aRepairedTokenIsAboveEveryTokenTheDamagedFileStillShows() throws IOException {
        Path file = Files.writeString(tmp.resolve("k.lock"), "{\"key\":\"k\",\"fencing_token\" : 9000000000000000,");
        assertThat(io.prodigy.storage.file.lock.LockRepairAccess.repairedToken(file, T0))
                .isEqualTo(9_000_000_000_000_000L);
        Files.writeString(file, "");
        assertThat(io.prodigy.storage.file.lock.LockRepairAccess.repairedToken(file, T0))
                .isEqualTo(T0.getEpochSecond() * 1_000_000L);
    }

    // ------------------------------------------------------------------------------------------------- odd entries

    @Test
    void oneOddEntryDoesNotBreakListingsAndIsNotCalledRetryable() throws IOException {
        Path base = tmp.resolve("store");
        JobRef good = JobRef.of("r", "good");
        JobRef odd = JobRef.of("r", "odd");
        try (FileStorage s = open(base)) {
            s.events().append(good, List.of(NewEvent.of("a", null)));
            s.events().append(odd, List.of(NewEvent.of("a", null)));
            s.dlq().add(good, DlqFailure.of("item-1", null, "boom"));
            s.dlq().add(odd, DlqFailure.of("item-1", null, "boom"));
        }
        Files.createDirectory(base.resolve("events/r/odd/events-20260101_000000-000000000100-000000000200.jsonl"));
        Files.createDirectory(base.resolve("dlq/r/odd/items/item-2.json"));
        try (CapturedLog log = new CapturedLog(); FileStorage s = open(base)) {
            assertThat(s.events().listJobs(null)).containsExactly(good, odd);
            assertThat(s.events().aggregate(odd).totalEvents()).isEqualTo(1);
            assertThat(all(s, odd)).hasSize(1);
            assertThat(s.dlq().listJobs(null)).containsExactly(good, odd);
            assertThat(s.dlq().stats(odd).totalItems()).isEqualTo(1);
            assertThat(s.dlq().list(io.prodigy.storage.dlq.DlqFilter.forJob(odd))).hasSize(1);
            assertThat(s.statistics().totalBytes()).isPositive();
            assertThatThrownBy(() -> s.events().append(odd, List.of(NewEvent.of("b", null))))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("is a directory")
                    .satisfies(e -> assertThat(((StorageException) e).isRetryable()).isFalse());
            assertThat(log.text()).contains("events-20260101_000000-000000000100-000000000200.jsonl")
                    .contains("item-2.json");
        }
    }

    @Test
    void anUnreadableCompressedSegmentIsSkippedWithAWarningAndTheRestIsServed() throws IOException {
        Path base = tmp.resolve("store");
        try (FileStorage s = open(base, 2048)) {
            s.events().append(job, batch("first", 10));
            s.events().append(job, batch("second", 10));
        }
        Path jobDir = base.resolve("events/r/J");
        Path sealed;
        try (Stream<Path> files = Files.list(jobDir)) {
            sealed = files.filter(p -> p.getFileName().toString().matches("events-.*-0+1-0+10\\.jsonl"))
                    .findFirst().orElseThrow();
        }
        Files.delete(sealed.resolveSibling(sealed.getFileName().toString().replace(".jsonl", ".index.json")));
        Files.write(sealed, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        try (CapturedLog log = new CapturedLog(); FileStorage s = open(base, 2048)) {
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(10);
            assertThat(all(s, job)).extracting(EventRecord::sequence).startsWith(11L).hasSize(10);
            assertThat(log.text()).contains(sealed.toString());
        }
    }
}
