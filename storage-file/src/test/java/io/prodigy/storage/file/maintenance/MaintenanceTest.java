package io.prodigy.storage.file.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention cleanups (dry run, age, count, per-repository policy, archiving) and statistics. */
class MaintenanceTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path base;

    private final TestClock clock = TestClock.at(T0);

    private FileStorage open(Map<String, Object> extra) {
        Map<String, Object> cfg = new HashMap<>(Map.of("base_dir", base.toString(), "max_file_size", 4096));
        cfg.putAll(extra);
        return new FileStorageProvider().open(FileConfig.bind(cfg), new StorageContext(clock, null));
    }

    private static void fill(FileStorage s, JobRef job, int n) {
        for (int i = 0; i < n; i++) {
            s.events().append(job, List.of(new NewEvent("e-" + i, T0.plus(Duration.ofDays(i)), "agent_progress",
                    null, null, null)));
        }
    }

    private static List<EventRecord> all(FileStorage s, JobRef job) {
        try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
            return st.toList();
        }
    }

    @Test
    void configuredRetentionRemovesOldAndSurplusEventsPerRepositoryAndArchivesThem() throws IOException {
        JobRef keepAll = JobRef.of("small-repo", "job-a");
        JobRef capped = JobRef.of("big-repo", "job-b");
        try (FileStorage s = open(Map.of("enable_compression", true, "retention", Map.of("max_age", "20d",
                "archive", true, "repositories", Map.of("big-repo", Map.of("max_events_per_job", 5)))))) {
            fill(s, keepAll, 30);
            fill(s, capped, 30);
            clock.set(T0.plus(Duration.ofDays(40)));

            CleanupReport dry = s.cleanup(true);
            assertThat(dry.dryRun()).isTrue();
            assertThat(dry.eventsRemoved()).isEqualTo(20 + 25);
            assertThat(all(s, keepAll)).hasSize(30);

            CleanupReport done = s.cleanup(false);
            assertThat(done.eventsRemoved()).isEqualTo(45);
            assertThat(done.eventsArchived()).isEqualTo(45);
            assertThat(done.bytesFreed()).isPositive();
            // small-repo: max_age 20d at day 40 keeps events from day 20 on.
            assertThat(all(s, keepAll)).extracting(EventRecord::sequence).first().isEqualTo(21L);
            // big-repo: the newest 5 (and they are younger than 20 days).
            assertThat(all(s, capped)).extracting(EventRecord::sequence).containsExactly(26L, 27L, 28L, 29L, 30L);
            assertThat(s.events().append(capped, List.of(NewEvent.of("x", null))).firstSequence()).isEqualTo(31);

            CleanupReport.JobCleanup c = done.jobs().stream().filter(j -> j.job().equals(capped)).findFirst()
                    .orElseThrow();
            assertThat(c.archiveFile().toString()).startsWith(base.resolve("events/big-repo/archive/job-b")
                    .toString()).endsWith(".jsonl.gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(c.archiveFile()))) {
                String archived = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(archived.lines()).hasSize(25).allMatch(l -> l.startsWith("{\"sequence\":"));
            }
            assertThat(s.events().listJobs(null)).containsExactlyInAnyOrder(keepAll, capped);
        }
    }

    @Test
    void anExplicitPolicyWithoutArchiveJustRemoves() {
        JobRef job = JobRef.of("r", "j");
        try (FileStorage s = open(Map.of())) {
            fill(s, job, 10);
            CleanupReport r = s.cleanup(new RetentionPolicy(null, 3, false), false);
            assertThat(r.eventsRemoved()).isEqualTo(7);
            assertThat(r.eventsArchived()).isZero();
            assertThat(all(s, job)).hasSize(3);
            assertThat(Files.exists(base.resolve("events/r/archive"))).isFalse();
            assertThat(s.cleanup(RetentionPolicy.KEEP_ALL, false).eventsRemoved()).isZero();
        }
    }

    @Test
    void statisticsCountBytesAndRecordsPerRepositoryAndCategory() {
        JobRef job = JobRef.of("repo-s", "job-s");
        try (FileStorage s = open(Map.of())) {
            fill(s, job, 12);
            s.dlq().add(job, DlqFailure.of("i1", null, "e"));
            s.dlq().add(job, DlqFailure.of("i2", null, "e"));
            s.sessions().save(PersistedSession.create("s1", T0));
            s.locks().tryAcquire("k", Duration.ofMinutes(1)).orElseThrow();

            StorageStatistics stats = s.statistics();
            assertThat(stats.baseDir()).isEqualTo(base.toAbsolutePath());
            assertThat(stats.layoutVersion()).isEqualTo(1);
            assertThat(stats.global().get("sessions").records()).isEqualTo(1);
            assertThat(stats.global().get("locks").records()).isEqualTo(1);
            var repo = stats.repositories().get("repo-s");
            assertThat(repo.get("events").records()).isEqualTo(12);
            assertThat(repo.get("events").bytes()).isPositive();
            assertThat(repo.get("dlq").records()).isEqualTo(2);
            assertThat(stats.totalBytes()).isGreaterThanOrEqualTo(repo.get("events").bytes());
        }
    }
}
