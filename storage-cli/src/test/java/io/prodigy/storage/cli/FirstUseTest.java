package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, "First use": the README and docs/ followed as a new user would, with a private {@code HOME} (no
 * {@code PRODIGY_*} variable), and the CLI attacked with bad input. Surefire runs this JVM with {@code HOME} under
 * target/ and {@code user.home} at a directory that must never be created (storage-cli/pom.xml).
 */
class FirstUseTest {

    static final String JOB = "mapreduce-20250310_140158";
    static final String LEGACY_LINE = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000002\","
            + "\"timestamp\":\"2025-03-10T14:01:59Z\",\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"agent_started\",\"job_id\":\"" + JOB + "\",\"agent_id\":\"a0\","
            + "\"item_id\":\"item_0\",\"worktree\":\"wt-0\",\"attempt\":1},\"metadata\":{\"host\":\"localhost\","
            + "\"pid\":48213}}";

    @TempDir
    Path tmp;

    private Path home;
    private Path project;

    @BeforeEach
    void freshUser() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        project = Files.createDirectories(tmp.resolve("my-project"));
        Files.createDirectories(project.resolve(".git"));
    }

    @AfterEach
    void nothingWrittenOutsideTheGivenHome() {
        assertThat(Path.of(System.getProperty("user.home"))).as("user.home must not be used when HOME is set")
                .doesNotExist();
        assertThat(Path.of(System.getenv("HOME"), ".prodigy")).as("the process's HOME is not the CLI's HOME")
                .doesNotExist();
    }

    private TestCli cli(Path workingDir) {
        return new TestCli(Map.of("HOME", home.toString()), workingDir, StorageOpener.factory());
    }

    private TestCli cli(Path workingDir, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("HOME", home.toString());
        return new TestCli(env, workingDir, StorageOpener.factory());
    }

    private Path writeConfig(String yaml) throws Exception {
        Path file = home.resolve(".prodigy/config.yml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }

    // --- The home directory

    @Test
    void demoInfoAndTheConfigFileUseHome() throws Exception {
        Path config = writeConfig("storage:\n  timeout: 9s\n");

        CliResult demo = cli(project).run("demo", "--jobs", "1", "--items", "4", "--no-crash", "--seed", "1");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(home.resolve(".prodigy/layout.json")).isRegularFile();

        CliResult info = cli(project).run("--json", "info");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.json().get("location").asText()).isEqualTo(home.resolve(".prodigy").toString());
        assertThat(info.json().get("config_file").asText()).isEqualTo(config.toString());
        assertThat(info.json().findValuesAsText("source")).contains("config file '" + config + "'");
    }

    @Test
    void infoReportsAStoreThatDoesNotExistAndCreatesNothing() {
        CliResult text = cli(project).run("info");
        CliResult json = cli(project).run("--json", "info");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("Location      " + home.resolve(".prodigy") + " (not created yet");
        assertThat(json.json().get("created").asBoolean()).isFalse();
        assertThat(home).isEmptyDirectory();
    }

    // --- Configuration

    @Test
    void theDocsCompleteExampleDoesNotBlockSwitchingToMemory() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        java.util.regex.Matcher example = java.util.regex.Pattern.compile("```yaml\n(.*?)```",
                java.util.regex.Pattern.DOTALL).matcher(docs);
        assertThat(example.find()).as("docs/configuration.md opens with its complete example").isTrue();
        writeConfig(example.group(1));

        CliResult flag = cli(project).run("--backend", "memory", "info");
        assertThat(flag.exitCode()).as(flag.toString()).isZero();
        assertThat(flag.out()).contains("Ignored", "storage.backend_config from config file",
                "backend 'memory' was chosen by explicit --backend");

        CliResult env = cli(project, Map.of("PRODIGY_STORAGE_TYPE", "memory")).run("--json", "info");
        assertThat(env.exitCode()).as(env.toString()).isZero();
        assertThat(env.json().get("ignored").get(0).asText()).contains("environment variable PRODIGY_STORAGE_TYPE");

        CliResult demo = cli(project).run("--backend", "memory", "demo", "--jobs", "1", "--items", "4", "--no-crash");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).as("no follow-up commands that would find nothing").doesNotContain("Next, try")
                .doesNotContain("demo --clean").contains("keeps nothing after this command exits");
    }

    @Test
    void yamlYesNoOnOffAreRejectedWithTheKeyPath() throws Exception {
        writeConfig("storage:\n  enable_locking: no\n");

        CliResult r = cli(project).run("info");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("storage.enable_locking", "'no'", "true or false");
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        CliResult missingConfig = cli(project).run("--config", "nope.yml", "info");
        assertThat(missingConfig.exitCode()).as(missingConfig.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missingConfig.err()).contains("nope.yml", "does not exist");

        Path bad = Files.writeString(tmp.resolve("bad.yml"), "storage:\n  timeout: [1s\n");
        CliResult badYaml = cli(project).run("--config", bad.toString(), "info");
        assertThat(badYaml.exitCode()).as(badYaml.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badYaml.err()).contains("Invalid YAML");

        CliResult badId = cli(project).run("events", "list", "--job", "a/b");
        assertThat(badId.exitCode()).as(badId.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("path separator");

        CliResult nothing = cli(project).run();
        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err()).contains("Missing command", "Usage: prodigy-storage");
    }

    @Test
    void anUnknownBackendIsReportedBeforeTheStorageDirectory() throws Exception {
        writeConfig("storage:\n  backend: nosuch\n");

        CliResult r = cli(project).run("--storage-dir", tmp.resolve("dir").toString(), "info");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("error: Unknown storage backend 'nosuch'").contains("Available providers: file");
    }

    // --- Legacy migration and operator commands

    private Path legacyProject() throws Exception {
        Path events = Files.createDirectories(project.resolve(".prodigy/events/" + JOB));
        Files.writeString(events.resolve("events-20250310_140158.jsonl"), LEGACY_LINE + "\n");
        return project;
    }

    @Test
    void theFirstCommandInAProjectMigratesItsLegacyData() throws Exception {
        legacyProject();
        Path sub = Files.createDirectories(project.resolve("src"));

        CliResult r = cli(sub).run("jobs", "list");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("my-project", JOB);
        assertThat(project.resolve(".prodigy/events")).doesNotExist();
    }

    @Test
    void migratingIntoTheMemoryBackendIsRefused() throws Exception {
        legacyProject();

        CliResult r = cli(project).run("--backend", "memory", "migrate", "legacy");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("keeps nothing after this command exits", "persist_to_disk");
        assertThat(project.resolve(".prodigy/events/" + JOB)).isDirectory();
    }

    @Test
    void theRepositoryIsNamedAfterTheRepositoryRootFromSubdirectoriesAndSymlinks() throws Exception {
        Path sub = Files.createDirectories(project.resolve("src/deep"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), sub);

        for (Path dir : List.of(sub, link)) {
            CliResult r = cli(dir).run("events", "list", "--job", "nope");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("not found in repository 'my-project'");
        }
        CliResult root = cli(Path.of("/")).run("events", "list", "--job", "nope");
        assertThat(root.exitCode()).as(root.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(root.err()).contains("--repo");
    }

    @Test
    void recordsCanBeDeletedWithFencesAndForce() {
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            f.withStorage(Fixtures::all);
            TestCli cli = f.cli(tmp);

            // session-a is IN_PROGRESS and was just written: a job may be running it.
            CliResult live = cli.run("sessions", "delete", "session-a", "session-b");
            assertThat(live.exitCode()).as(live.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(live.err()).contains("session 'session-a'", "may still be running", "--force");
            assertThat(f.<Boolean>fromStorage(s -> s.sessions().load("session-b").isPresent()))
                    .as("nothing is deleted when one is refused").isTrue();
            CliResult sessions = cli.run("sessions", "delete", "session-b");
            assertThat(sessions.exitCode()).as(sessions.toString()).isZero();
            assertThat(cli.run("sessions", "delete", "session-a", "--force").exitCode()).isZero();
            assertThat(f.<List<PersistedSession>>fromStorage(s -> s.sessions().list(
                    io.prodigy.storage.session.SessionFilter.ALL))).isEmpty();

            LockLease lease = f.fromStorage(s -> s.locks().acquire("reduce:proj:job-1", Duration.ofMinutes(5),
                    Duration.ofSeconds(5)));
            CliResult held = cli.run("--repo", "proj", "checkpoints", "delete", "map-0001", "--job", "job-1");
            assertThat(held.exitCode()).as(held.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(held.err()).contains("reduce:proj:job-1", "--force");
            CliResult forced = cli.run("--repo", "proj", "checkpoints", "delete", "map-0001", "--job", "job-1",
                    "--force");
            assertThat(forced.exitCode()).as(forced.toString()).isZero();
            assertThat(f.<Boolean>fromStorage(s -> s.locks().current(lease.key()).isPresent())).isFalse();

            CliResult list = cli.run("--json", "workflows", "list");
            assertThat(list.json().findValuesAsText("id")).containsExactly("wf-1");
            assertThat(cli.run("workflows", "show", "wf-1").out()).contains("Workflow     wf-1", "build");
            assertThat(cli.run("workflows", "delete", "wf-1").exitCode()).isZero();
            assertThat(cli.run("--json", "workflows", "list").json()).isEmpty();

            CliResult jobs = cli.run("--repo", "proj", "jobs", "delete", "--all");
            assertThat(jobs.exitCode()).as(jobs.toString()).isZero();
            assertThat(f.<Long>fromStorage(s -> s.events().aggregate(Fixtures.JOB).totalEvents())).isZero();
            assertThat(f.<Long>fromStorage(s -> s.events().lastSequence(Fixtures.JOB)))
                    .as("the high-water mark survives the delete: sequences are never reused").isEqualTo(7);
            assertThat(f.<Long>fromStorage(s -> s.dlq().stats(Fixtures.JOB).totalItems())).isZero();
        }
    }

    @Test
    void theDemoSaysWhatItCreatedAndCleanRemovesIt() {
        CliResult demo = cli(project).run("demo", "--jobs", "1", "--items", "4", "--no-crash", "--seed", "3");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("created      1 session (session-", "workflow demo-wordcount",
                "remove with  prodigy-storage demo --clean", "Next, try");

        CliResult json = cli(project).run("--json", "demo", "--jobs", "1", "--items", "4", "--no-crash");
        JsonNode report = json.json();
        assertThat(report.get("jobs").get(0).has("duration_ms")).isTrue();
        assertThat(report.toString()).doesNotContain("duration_millis");
        assertThat(report.get("clean_command").asText()).endsWith("demo --clean");

        CliResult clean = cli(project).run("demo", "--clean");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("Removed demo data", "2 sessions", "2 jobs", "workflow demo-wordcount");
        assertThat(cli(project).run("--json", "sessions", "list").json()).isEmpty();
        assertThat(cli(project).run("--json", "jobs", "list").json()).isEmpty();
        assertThat(cli(project).run("--json", "workflows", "list").json()).isEmpty();
    }

    // --- Repository and errors

    @Test
    void jsonFailuresPrintAnErrorObjectOnStdout() {
        CliResult failed = cli(project).run("--json", "sessions", "show", "nope");
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        JsonNode error = failed.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("command_failed");
        assertThat(error.get("message").asText()).contains("Session 'nope' does not exist");
        assertThat(error.get("exit_code").asInt()).isEqualTo(1);

        CliResult usage = cli(project).run("--json", "events", "list");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.json().get("error").get("type").asText()).isEqualTo("usage");

        CliResult config = cli(project).run("--json", "--config", "missing.yml", "info");
        assertThat(config.json().get("error").get("exit_code").asInt()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void importingTheSameTreeAfterACleanupChangesNothing() throws Exception {
        Path old = tmp.resolve("old-prodigy");
        Path events = Files.createDirectories(old.resolve("events/myrepo/job-a"));
        Files.writeString(events.resolve("events-20250310_140158.jsonl"), MigrateCommandsTest.ORIGINAL_EVENTS);
        TestCli cli = cli(project);

        assertThat(cli.run("migrate", "import", old.toString()).exitCode()).isZero();
        CliResult cleanup = cli.run("cleanup", "--older-than", "1d");
        assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        CliResult again = cli.run("--json", "migrate", "import", old.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.json().get("imported").asLong()).isZero();
        try (UnifiedStorage s = io.prodigy.storage.core.StorageFactory.create().withConfigLoader(
                io.prodigy.storage.core.config.ConfigLoader.system().withEnvironment(Map.of("HOME", home.toString())))
                .withContext(io.prodigy.storage.StorageContext.withoutProject()).load();
                Stream<io.prodigy.storage.event.EventRecord> left = s.events().query(
                        io.prodigy.storage.event.EventFilter.forJob(JobRef.of("myrepo", "job-a")))) {
            assertThat(left).as("the purged events were not imported again").isEmpty();
        }
    }

    @Test
    void dlqListSaysWhenItCutTheList() {
        try (Backend.Fixture f = Backend.MEMORY.open(tmp)) {
            f.withStorage(Fixtures::dlq);

            CliResult r = f.cli(tmp).run("--repo", "proj", "dlq", "list", "--job", "job-1", "--limit", "1");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).contains("(showing 1 items; more follow: continue with --cursor ",
                    ", or use --limit 0 for all)");
        }
    }
}
