package io.prodigy.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact on-disk paths and formats of every record type (docs/file-layout.md). */
class FileLayoutTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path base;

    @TempDir
    Path project;

    private final TestClock clock = TestClock.at(T0);

    private FileStorage open(Map<String, Object> extra) {
        Map<String, Object> cfg = new java.util.HashMap<>(Map.of("base_dir", base.toString()));
        cfg.putAll(extra);
        return new FileStorageProvider().open(FileConfig.bind(cfg), new StorageContext(clock, project));
    }

    @Test
    void everyRecordTypeLivesAtItsDocumentedPath() throws IOException {
        JobRef job = JobRef.of("my-repo", "mapreduce-20260115_100000");
        try (FileStorage s = open(Map.of())) {
            s.sessions().save(PersistedSession.create("session-1", T0));
            s.events().append(job, List.of(NewEvent.of("agent_started", null)));
            s.dlq().add(job, DlqFailure.of("item_7", Json.nodes().textNode("work"), "boom"));
            s.checkpoints().save(Checkpoint.job("cp-setup", job, CheckpointKind.SETUP, 1, T0, 0, null));
            s.checkpoints().save(Checkpoint.job("cp-map", job, CheckpointKind.MAP, 1, T0.plusSeconds(5), 3, null));
            s.checkpoints().save(Checkpoint.job("cp-reduce", job, CheckpointKind.REDUCE, 2, T0.plusSeconds(9), 1,
                    null));
            s.checkpoints().save(Checkpoint.workflow("cp-wf", "workflow-1", T0, 2, List.of(0, 1), Map.of(), null));
            s.workflows().save(new WorkflowDefinition("wf-1", "build", "1.0", T0, null, null, null, 0));
            s.workflows().recordExecution(new WorkflowExecution("exec-1", "wf-1", T0, null, ExecutionStatus.RUNNING,
                    null));
            LockLease lease = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
            assertThat(lease.fencingToken()).isEqualTo(1);
        }

        assertThat(files()).containsExactlyInAnyOrder(
                "layout.json",
                "sessions/.guard",
                "sessions/session-1.json",
                "events/my-repo/mapreduce-20260115_100000/.guard",
                "events/my-repo/mapreduce-20260115_100000/events-20260115_100000-000000000001.jsonl",
                "events/my-repo/mapreduce-20260115_100000/events-20260115_100000-000000000001.index.json",
                "dlq/my-repo/mapreduce-20260115_100000/.guard",
                "dlq/my-repo/mapreduce-20260115_100000/items/item_7.json",
                "state/my-repo/mapreduce/jobs/mapreduce-20260115_100000/.guard",
                "state/my-repo/mapreduce/jobs/mapreduce-20260115_100000/setup-checkpoint-cp-setup.json",
                "state/my-repo/mapreduce/jobs/mapreduce-20260115_100000/map-checkpoint-20260115_100005-cp-map.json",
                "state/my-repo/mapreduce/jobs/mapreduce-20260115_100000/"
                        + "reduce-checkpoint-v2-20260115_100009-cp-reduce.json",
                "workflow_checkpoints/workflow-1/.guard",
                "workflow_checkpoints/workflow-1/cp-wf.checkpoint.json",
                "workflows/.guard",
                "workflows/wf-1.json",
                "workflow_executions/wf-1/exec-1.json",
                "locks/.guard",
                "locks/deploy.lock");
        try (Stream<Path> inProject = Files.list(project)) {
            assertThat(inProject).as("nothing is written into the project directory").isEmpty();
        }
    }

    @Test
    void theLayoutMarkerAndTheEventLineFormatAreExact() throws IOException {
        JobRef job = JobRef.of("r", "j");
        try (FileStorage s = open(Map.of())) {
            s.events().append(job, List.of(
                    new NewEvent("e-1", T0, "agent_completed", Json.nodes().objectNode().put("n", 1), "c-1", "a-1"),
                    new NewEvent("e-2", T0.plusMillis(5), "agent_failed", null, null, null)));
            s.events().append(job, List.of(NewEvent.of("job_completed", null).withTimestamp(T0)));
            assertThat(s.layoutVersion()).isEqualTo(1);
        }
        JsonNode marker = Json.mapper().readTree(base.resolve("layout.json").toFile());
        assertThat(marker.get("layout_version").asInt()).isEqualTo(1);

        List<String> lines = Files.readAllLines(base.resolve("events/r/j/events-20260115_100000-000000000001.jsonl"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("{\"sequence\":1,\"batch_more\":true,\"id\":\"e-1\",\"timestamp\":"
                + "\"2026-01-15T10:00:00Z\",\"event_type\":\"agent_completed\",\"correlation_id\":\"c-1\","
                + "\"agent_id\":\"a-1\",\"data\":{\"n\":1}}");
        assertThat(lines.get(1)).isEqualTo("{\"sequence\":2,\"id\":\"e-2\",\"timestamp\":\"2026-01-15T10:00:00.005Z\","
                + "\"event_type\":\"agent_failed\",\"data\":{}}");
        assertThat(lines.get(2)).startsWith("{\"sequence\":3,\"id\":\"");
    }

    @Test
    void rotatedAndCompressedSegmentsHaveSealedNamesAndIndexes() throws Exception {
        JobRef job = JobRef.of("r", "j");
        try (FileStorage s = open(Map.of("max_file_size", 2048, "enable_compression", true))) {
            for (int i = 0; i < 30; i++) {
                s.events().append(job, List.of(NewEvent.of("agent_progress",
                        Json.nodes().objectNode().put("pad", "x".repeat(200)))));
            }
        } // close waits for background compression
        List<String> names = files().stream().filter(n -> n.startsWith("events/r/j/events-")).toList();
        assertThat(names).anyMatch(n -> n.matches("events/r/j/events-20260115_100000-\\d{12}-\\d{12}\\.jsonl\\.gz"))
                .anyMatch(n -> n.matches("events/r/j/events-20260115_100000-\\d{12}-\\d{12}\\.index\\.json"))
                .anyMatch(n -> n.matches("events/r/j/events-20260115_100000-\\d{12}\\.jsonl"));
        assertThat(names).noneMatch(n -> n.matches(".*-\\d{12}-\\d{12}\\.jsonl"))
                .as("every sealed segment was compressed");
        Path gz = base.resolve(names.stream().filter(n -> n.endsWith(".gz")).findFirst().orElseThrow());
        byte[] head = Files.readAllBytes(gz);
        assertThat(head[0] & 0xff).isEqualTo(0x1f);
        assertThat(head[1] & 0xff).isEqualTo(0x8b);
        Path index = base.resolve(names.stream().filter(n -> n.endsWith(".index.json")).findFirst().orElseThrow());
        JsonNode idx = Json.mapper().readTree(index.toFile());
        assertThat(idx.fieldNames()).toIterable().contains("first_sequence", "last_sequence", "event_count",
                "min_timestamp", "max_timestamp", "counts_by_type", "segment_bytes");
    }

    @Test
    void directoriesAreOwnerOnlyAndFilesTooWhereSupported() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                base.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path fresh = base.resolve("fresh-home");
        try (FileStorage s = new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(fresh),
                new StorageContext(clock, null))) {
            s.sessions().save(PersistedSession.create("s1", T0));
            s.events().append(JobRef.of("r", "j"), List.of(NewEvent.of("t", null)));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("events/r/j"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("sessions/s1.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                fresh.resolve("events/r/j/events-20260115_100000-000000000001.jsonl")))).isEqualTo("rw-------");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(Files::isRegularFile).map(p -> base.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
