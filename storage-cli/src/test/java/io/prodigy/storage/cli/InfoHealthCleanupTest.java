package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InfoHealthCleanupTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void infoShowsBackendLocationAndCounts(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::all);
            TestCli cli = f.cli(tmp);

            CliResult r = cli.run("--json", "info");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode info = r.json();
            assertThat(info.get("backend").asText()).isEqualTo(backend.name().toLowerCase());
            JsonNode counts = info.get("counts");
            assertThat(counts.get("sessions").asLong()).isEqualTo(2);
            assertThat(counts.get("workflows").asLong()).isEqualTo(1);
            assertThat(counts.get("workflow_checkpoints").asLong()).isEqualTo(1);
            assertThat(counts.get("repositories").asLong()).isEqualTo(2);
            assertThat(counts.get("jobs").asLong()).isEqualTo(2);
            assertThat(counts.get("events").asLong()).isEqualTo(8);
            assertThat(counts.get("dlq_items").asLong()).isEqualTo(2);
            assertThat(counts.get("job_checkpoints").asLong()).isEqualTo(4);
            JsonNode proj = info.get("repositories").get(1);
            assertThat(proj.get("repository").asText()).isEqualTo("proj");
            assertThat(proj.get("events").asLong()).isEqualTo(7);

            CliResult text = cli.run("info");
            assertThat(text.out()).contains("Backend       " + backend.name().toLowerCase(), "Settings", "SOURCE",
                    "REPOSITORY", "proj", "other-repo");
            if (backend == Backend.FILE) {
                Path home = tmp.resolve("prodigy-home");
                assertThat(info.get("location").asText()).isEqualTo(home.toString());
                assertThat(info.get("settings").findValuesAsText("key")).contains("storage.backend",
                        "storage.backend_config.base_dir", "storage.timeout", "storage.retry_policy.max_retries");
                assertThat(setting(info, "storage.backend_config.base_dir").get("source").asText())
                        .isEqualTo("environment variable PRODIGY_HOME");
                assertThat(setting(info, "storage.timeout").get("source").asText()).isEqualTo("default");
                assertThat(info.get("total_bytes").asLong()).isPositive();
                assertThat(proj.get("bytes").asLong()).isPositive();
                assertThat(text.out()).contains("Disk usage by category", "events", "environment variable PRODIGY_HOME");
            }
        }
    }

    private static JsonNode setting(JsonNode info, String key) {
        return StreamSupport.stream(info.get("settings").spliterator(), false)
                .filter(s -> s.get("key").asText().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void storageDirFlagWinsOverTheEnvironment() {
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            Path dir = tmp.resolve("explicit");
            JsonNode info = f.cli(tmp).run("--storage-dir", dir.toString(), "--json", "info").json();
            assertThat(info.get("location").asText()).isEqualTo(dir.toString());
            assertThat(setting(info, "storage.backend_config.base_dir").get("source").asText())
                    .isEqualTo("explicit --storage-dir");
            assertThat(info.get("created").asBoolean()).isFalse();
            assertThat(dir).as("info creates nothing").doesNotExist();
        }
    }

    @Test
    void infoListsTheProvidersThisBuildCanOpen() {
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            f.withStorage(Fixtures::all);
            JsonNode info = f.cli(tmp).run("--json", "info").json();
            List<String> providers = new ArrayList<>();
            info.get("providers").forEach(p -> providers.add(p.asText()));
            // The test class path is the default build's, plus whatever -Pdistributed adds; sorted by name.
            assertThat(providers).contains("file", "memory").isSorted();
            assertThat(f.cli(tmp).run("info").out()).contains("Providers     " + String.join(", ", providers));
        }
    }

    @Test
    void unknownBackendListsTheAvailableProviders() {
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            CliResult r = f.cli(tmp).run("--backend", "postgress", "info");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).startsWith("error: Unknown storage backend 'postgress' in storage.backend. Available"
                    + " providers: ").contains("file", "memory", "Source: explicit --backend.");
            assertThat(r.out()).isEmpty();

            CliResult env = f.cli(tmp).withEnv("PRODIGY_STORAGE_TYPE", "memroy").run("health");
            assertThat(env.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(env.err()).contains("Unknown storage backend 'memroy'",
                    "Source: environment variable PRODIGY_STORAGE_TYPE.");
        }
    }

    @Test
    void badConfigFileIsAUsageErrorNamingTheKey() throws Exception {
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            Path config = tmp.resolve("config.yml");
            Files.writeString(config, "storage:\n  timeout: 30 seconds\n");
            CliResult r = f.cli(tmp).run("--config", config.toString(), "info");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).startsWith("error: Invalid value '30 seconds' for storage.timeout");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void healthIsZeroWhenHealthy(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            CliResult r = f.cli(tmp).run("--json", "health");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.json().get("status").asText()).isEqualTo("HEALTHY");
            assertThat(r.json().get("backend_type").asText()).isEqualTo(backend.name().toLowerCase());
            assertThat(f.cli(tmp).run("health").out()).contains("Status     HEALTHY");
        }
    }

    @Test
    void healthIsOneWhenTheStorageCannotBeOpened() throws Exception {
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            Path notADir = tmp.resolve("plain-file");
            Files.writeString(notADir, "x");
            CliResult r = f.cli(tmp).run("--storage-dir", notADir.toString(), "--json", "health");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(r.json().get("message").asText()).startsWith("cannot open storage: ").contains(notADir.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cleanupRemovesOldEventsAndShowsStatisticsBeforeAndAfter(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            Clock tenPast = Clock.fixed(Fixtures.T0.plusSeconds(600), ZoneOffset.UTC);
            TestCli cli = f.cli(tmp).withClock(tenPast);

            CliResult dry = cli.run("--repo", "proj", "--json", "cleanup", "--older-than", "7m", "--dry-run");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            JsonNode d = dry.json();
            assertThat(d.get("events_removed").asLong()).isEqualTo(3);
            assertThat(d.get("cutoff").asText()).isEqualTo("2026-01-01T10:03:00Z");
            assertThat(d.get("before").get("events").asLong()).isEqualTo(7);
            assertThat(d.has("after")).isFalse(); // nulls are omitted, as everywhere in the JSON output
            assertThat(f.<Long>fromStorage(s -> s.events().aggregate(Fixtures.JOB).totalEvents())).isEqualTo(7);

            CliResult real = cli.run("--repo", "proj", "cleanup", "--older-than", "7m");
            assertThat(real.exitCode()).isZero();
            assertThat(real.out()).contains("Removing events older than 7m (before 2026-01-01T10:03:00Z) in"
                    + " repository 'proj', by purge through the storage API (not archived).", "before", "after",
                    "Removed 3 events.");
            List<Long> left = f.fromStorage(s -> {
                try (var events = s.events().query(EventFilter.forJob(Fixtures.JOB))) {
                    return events.map(EventRecord::sequence).toList();
                }
            });
            assertThat(left).containsExactly(4L, 5L, 6L, 7L);
            assertThat(f.<Long>fromStorage(s -> s.events().aggregate(Fixtures.OTHER_JOB).totalEvents())).isEqualTo(1);

            // Without --repo: every repository; the file backend uses its own retention.
            JsonNode all = cli.run("--json", "cleanup", "--older-than", "7m").json();
            assertThat(all.get("events_removed").asLong()).isEqualTo(1);
            assertThat(all.get("jobs").get(0).get("repository").asText()).isEqualTo("other-repo");
            assertThat(all.get("method").asText()).startsWith(backend == Backend.FILE ? "file backend retention"
                    : "purge through the storage API");
            assertThat(all.get("after").get("events").asLong()).isEqualTo(4);
            assertThat(f.<Long>fromStorage(s -> s.events().aggregate(Fixtures.OTHER_JOB).totalEvents())).isZero();

            CliResult bad = cli.run("cleanup", "--older-than", "5 weeks");
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).startsWith("error: Invalid value for option '--older-than': '5 weeks' is not a"
                    + " duration such as 500ms, 30s, 1m, 1h or 1m 30s (units: ms, s, m, h, d)");
        }
    }
}
