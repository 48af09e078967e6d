package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrateCommandsTest {

    /** Two event lines in the original tool's format and one torn line. */
    static final String ORIGINAL_EVENTS = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000001\","
            + "\"timestamp\":\"2025-03-10T14:01:58.411800709Z\",\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"job_started\",\"job_id\":\"job-a\",\"config\":{\"input\":\"items.json\","
            + "\"json_path\":\"$.items[*]\",\"max_parallel\":10,\"agent_timeout_secs\":null,\"continue_on_failure\":false,"
            + "\"batch_size\":null,\"enable_checkpoints\":true,\"max_items\":null,\"offset\":null},\"total_items\":3,"
            + "\"timestamp\":\"2025-03-10T14:01:58.411800709Z\"},\"metadata\":{\"host\":\"localhost\",\"pid\":48213}}\n"
            + "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000002\",\"timestamp\":\"2025-03-10T14:01:59Z\","
            + "\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\",\"event\":{\"event_type\":\"agent_started\","
            + "\"job_id\":\"job-a\",\"agent_id\":\"job-a_agent_0\",\"item_id\":\"item_0\",\"worktree\":\"wt\","
            + "\"attempt\":1},\"metadata\":{\"host\":\"localhost\",\"pid\":48213}}\n"
            + "{\"id\":\"0b8d1c52-1111-4c4e-9d61-0000000000ff\",\"timestamp\":\"2025-03-1\n";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void importReadsTheOriginalToolsTreeAndReportsPerType(Backend backend) throws Exception {
        Path old = tmp.resolve("old-prodigy");
        Path events = old.resolve("events/myrepo/job-a");
        Files.createDirectories(events);
        Files.writeString(events.resolve("events-20250310_140158.jsonl"), ORIGINAL_EVENTS);
        try (Backend.Fixture f = backend.open(tmp)) {
            TestCli cli = f.cli(tmp);
            CliResult dry = cli.run("--json", "migrate", "import", old.toString(), "--dry-run");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(dry.json().get("dry_run").asBoolean()).isTrue();
            assertThat(dry.json().get("imported").asLong()).isEqualTo(2);
            assertThat(f.<Long>fromStorage(s -> s.events().lastSequence(JobRef.of("myrepo", "job-a")))).isZero();

            CliResult r = cli.run("migrate", "import", old.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("RECORD TYPE", "event", "READ", "IMPORTED", "SKIPPED",
                    "skipped events/myrepo/job-a/events-20250310_140158.jsonl:3", "Verification passed",
                    "Import complete.");
            List<EventRecord> stored = f.fromStorage(s -> EventsCommandsTest.all(s.events().query(
                    EventFilter.forJob(JobRef.of("myrepo", "job-a")))));
            assertThat(stored).extracting(EventRecord::eventType).containsExactly("job_started", "agent_started");

            JsonNode again = cli.run("--json", "migrate", "import", old.toString()).json();
            assertThat(again.get("imported").asLong()).isZero();
            assertThat(again.get("already_present").asLong()).isEqualTo(2);
            assertThat(again.get("verification").get("ok").asBoolean()).isTrue();

            CliResult missing = cli.run("migrate", "import", tmp.resolve("nope").toString());
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(missing.err()).isEqualTo("error: Directory '" + tmp.resolve("nope") + "' does not exist (or"
                    + " is not a directory). Pass the original tool's base directory, for example ~/.prodigy.\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void legacyMigratesAProjectsLocalDataOnce(Backend backend) throws Exception {
        Path project = tmp.resolve("proj-x");
        Path legacyEvents = project.resolve(".prodigy/events/job-a");
        Files.createDirectories(legacyEvents);
        Files.writeString(legacyEvents.resolve("events-20250310_140158.jsonl"), ORIGINAL_EVENTS);
        Files.writeString(project.resolve(".prodigy/config.yml"), "name: keep me\n");
        try (Backend.Fixture f = backend.open(tmp)) {
            TestCli cli = f.cli(project);
            CliResult dry = cli.run("--json", "migrate", "legacy", "--dry-run", "--backup-dir",
                    tmp.resolve("backups").toString());
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(dry.json().get("outcome").asText()).isEqualTo("dry_run");
            assertThat(dry.json().get("repository").asText()).isEqualTo("proj-x");
            assertThat(Files.exists(legacyEvents)).isTrue();

            CliResult r = cli.run("migrate", "legacy", "--backup-dir", tmp.resolve("backups").toString());
            if (backend == Backend.MEMORY) {
                // The memory backend keeps nothing after the command: migrating would lose the data (issue 18).
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err()).contains("keeps nothing after this command exits");
                assertThat(Files.exists(legacyEvents)).isTrue();
                return;
            }
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Migrating local storage to global storage...", "Migration complete.",
                    "Verification passed");
            assertThat(f.<Long>fromStorage(s -> s.events().lastSequence(JobRef.of("proj-x", "job-a")))).isEqualTo(2);
            assertThat(Files.exists(legacyEvents)).isFalse();
            assertThat(project.resolve(".prodigy/config.yml")).hasContent("name: keep me");

            CliResult again = cli.run("migrate", "legacy", project.toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).startsWith("Nothing to migrate: ");

            CliResult missing = cli.run("migrate", "legacy", tmp.resolve("no-such-project").toString());
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(missing.err()).isEqualTo("error: Project directory '" + tmp.resolve("no-such-project")
                    + "' does not exist (or is not a directory).\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void copyMovesEverythingToAnotherBackendAndVerifies(Backend backend) throws Exception {
        Path targetDir = tmp.resolve("target-store");
        Path targetYaml = tmp.resolve("target.yml");
        Files.writeString(targetYaml, "storage:\n  backend: file\n  backend_config:\n    base_dir: " + targetDir + "\n");
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::all);
            TestCli cli = f.cli(tmp);

            CliResult dry = cli.run("--json", "migrate", "copy", "--to-config", targetYaml.toString(), "--dry-run");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(count(dry.json(), "event", "copied")).isEqualTo(8);

            CliResult r = cli.run("migrate", "copy", "--to-config", targetYaml.toString(), "--verify");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("RECORD TYPE", "SOURCE", "COPIED", "VERIFIED", "Verification passed",
                    "Copy complete and verified.");
            try (UnifiedStorage target = StorageFactory.create().openFile(targetYaml)) {
                assertThat(target.events().aggregate(Fixtures.JOB).totalEvents()).isEqualTo(7);
                assertThat(target.dlq().stats(Fixtures.JOB).totalItems()).isEqualTo(2);
                assertThat(target.sessions().load("session-a")).isPresent();
            }

            JsonNode again = cli.run("--json", "migrate", "copy", "--to-config", targetYaml.toString(), "--verify")
                    .json();
            assertThat(count(again, "event", "copied")).isZero();
            assertThat(count(again, "event", "already_present")).isEqualTo(8);
            assertThat(again.get("verification").get("ok").asBoolean()).isTrue();

            CliResult missing = cli.run("migrate", "copy", "--to-config", tmp.resolve("nope.yml").toString());
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(missing.err()).isEqualTo("error: Target configuration '" + tmp.resolve("nope.yml")
                    + "' does not exist (or is not a file).\n");
        }
    }

    private static long count(JsonNode doc, String type, String field) {
        return StreamSupport.stream(doc.get("types").spliterator(), false)
                .filter(t -> t.get("type").asText().equals(type)).findFirst().orElseThrow().get(field).asLong();
    }
}
