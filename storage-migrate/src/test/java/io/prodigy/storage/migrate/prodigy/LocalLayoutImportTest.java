package io.prodigy.storage.migrate.prodigy;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.testing.ProdigyTrees;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.session.SessionState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project's legacy .prodigy/: no repository level, legacy sessions, loose event files, mapreduce/ fallback. */
class LocalLayoutImportTest {

    @TempDir
    Path project;

    @Test
    void everythingLandsInTheGivenRepository() {
        Path dot = ProdigyTrees.writeLegacyProject(project);
        try (UnifiedStorage target = Stores.memory()) {
            ImportReport report = ProdigyImporter.importTree(dot, target, ImportOptions.DEFAULT.projectLocal("proj"));

            assertThat(report.layout()).isEqualTo("project-local, repository 'proj'");
            assertThat(report.tally(SourceKind.LEGACY_SESSION)).isEqualTo(new Tally(2, 2, 0, 0));
            assertThat(report.tally(SourceKind.EVENT)).isEqualTo(new Tally(6, 5, 0, 1));
            assertThat(report.tally(SourceKind.JOB_STATE)).isEqualTo(new Tally(1, 1, 0, 0));
            assertThat(report.tally(SourceKind.DLQ_ITEM)).isEqualTo(new Tally(2, 2, 0, 0));
            assertThat(report.skipped()).filteredOn(s -> s.kind() == SourceKind.EVENT).singleElement()
                    .asString().startsWith("events/mapreduce_events.jsonl:3: not valid JSON");
            assertThat(report.skipped()).filteredOn(s -> s.kind() == SourceKind.OTHER_FILE)
                    .extracting(s -> s.file().toString()).containsExactly("config.yml", "workflow.yml");

            assertThat(target.sessions().load("cook-3f2a").orElseThrow().state()).isEqualTo(SessionState.PAUSED);
            var fromName = target.sessions().load("session_20250101_120000").orElseThrow();
            assertThat(fromName.state()).isEqualTo(SessionState.COMPLETED);
            assertThat(fromName.worktreeName()).isEqualTo("session-abc");
            assertThat(fromName.metadata().get("description").textValue())
                    .isEqualTo("Migrated from .prodigy/session_20250101_120000.json");

            assertThat(target.events().listJobs("proj")).containsExactly(JobRef.of("proj", "mapreduce-a"),
                    JobRef.of("proj", "mapreduce-b"), JobRef.of("proj", "mapreduce-c"),
                    JobRef.of("proj", "mapreduce_events"));
            List<EventRecord> a = events(target, JobRef.of("proj", "mapreduce-a"));
            assertThat(a).extracting(EventRecord::eventType).containsExactly("job_started", "job_completed");
            assertThat(a.get(1).data().path("duration_ms").longValue()).isEqualTo(45_000);
            assertThat(events(target, JobRef.of("proj", "mapreduce_events"))).singleElement()
                    .satisfies(e -> assertThat(e.eventType()).isEqualTo("claude_token_usage"));
            assertThat(events(target, JobRef.of("proj", "mapreduce-c")).get(0).timestamp())
                    .isEqualTo(Instant.parse("2025-01-01T13:00:00.123Z"));

            JobRef c = JobRef.of("proj", "mapreduce-c");
            assertThat(target.checkpoints().load(CheckpointScope.job(c), "checkpoint-v1").orElseThrow().kind())
                    .isEqualTo(CheckpointKind.MAP);
            assertThat(target.dlq().list(DlqFilter.forJob(c))).extracting(DlqItem::itemId)
                    .containsExactlyInAnyOrder("item_4", "item_5");
        }
    }

    private static List<EventRecord> events(UnifiedStorage target, JobRef job) {
        try (Stream<EventRecord> s = target.events().query(EventFilter.forJob(job))) {
            return s.toList();
        }
    }
}
