package io.prodigy.storage.migrate.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.testing.Files2;
import io.prodigy.storage.migrate.testing.ProdigyTrees;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.tck.fault.FaultInjectingStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyMigrationTest {

    @TempDir
    Path tmp;

    private Path project;
    private Path store;
    private Path backups;
    private Map<String, String> original;
    private UnifiedStorage target;
    private final TestClock clock = TestClock.at(Instant.parse("2026-01-15T10:00:00Z"));

    @BeforeEach
    void setUp() {
        project = tmp.resolve("proj");
        store = tmp.resolve("store");
        backups = tmp.resolve("store/backups");
        ProdigyTrees.writeLegacyProject(project);
        original = Files2.snapshot(project.resolve(".prodigy"));
        target = Stores.file(store, clock);
    }

    @AfterEach
    void close() {
        target.close();
    }

    private LegacyMigrationOptions options() {
        return LegacyMigrationOptions.of(backups).withTargetLabel(store.toString()).withClock(clock);
    }

    @Test
    void detectsOnlyDataEntries() {
        LegacyDetection d = LegacyMigration.detect(project);

        assertThat(d.found()).isTrue();
        assertThat(d.dataEntries()).extracting(p -> p.getFileName().toString())
                .containsExactly("dlq", "events", "mapreduce", "session_20250101_120000.json", "session_state.json");
    }

    @Test
    void detectsNothingWithoutLegacyData() throws IOException {
        assertThat(LegacyMigration.detect(tmp.resolve("empty")).reason()).startsWith("no .prodigy directory");
        Path configOnly = tmp.resolve("config-only");
        Files2.write(configOnly.resolve(".prodigy/config.yml"), "x: 1\n");
        Files.createDirectories(configOnly.resolve(".prodigy/events"));
        LegacyDetection d = LegacyMigration.detect(configOnly);
        assertThat(d.found()).isFalse();
        assertThat(d.reason()).startsWith("no legacy data in");
    }

    @Test
    void neverTreatsTheGlobalStoreAsLegacy() {
        Path home = tmp.resolve("home");
        ProdigyTrees.writeGlobalTree(home.resolve(".prodigy"));
        assertThat(LegacyMigration.detect(home).reason()).endsWith("is the global store (it contains sessions),"
                + " not legacy data");
        assertThat(LegacyMigration.detect(project, project.resolve(".prodigy")).reason())
                .contains("the configured base directory");
    }

    @Test
    void migratesVerifiesAndMovesOnlyTheDataAside() {
        LegacyMigrationReport report = LegacyMigration.migrate(project, target, options());

        assertThat(report.outcome()).isEqualTo(LegacyMigrationReport.Outcome.MIGRATED);
        assertThat(report.repository()).isEqualTo("proj");
        assertThat(report.verification().ok()).isTrue();
        assertThat(report.messages()).containsExactly(
                "Migrating local storage to global storage...",
                "  Moving .prodigy/dlq -> " + store + "/dlq/proj",
                "  Moving .prodigy/events -> " + store + "/events/proj",
                "  Moving .prodigy/mapreduce -> " + store + "/state/proj",
                "  Moving .prodigy/session_20250101_120000.json -> " + store + "/sessions",
                "  Moving .prodigy/session_state.json -> " + store + "/sessions",
                "Migration complete. 10 records imported, 0 already present, 1 skipped. Local storage moved to"
                        + " .prodigy.migrated-20260115T100000Z (delete it once you have checked your data).",
                "  1 unreadable or unknown entries were not imported; they remain in"
                        + " .prodigy.migrated-20260115T100000Z: events/mapreduce_events.jsonl:3: not valid JSON"
                        + " (Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token"
                        + " 'null', 'true' or 'false')); a torn or damaged line");

        Path migrated = project.resolve(".prodigy.migrated-20260115T100000Z");
        assertThat(report.migratedDir()).isEqualTo(migrated);
        assertThat(Files2.snapshot(project.resolve(".prodigy"))).containsOnlyKeys("config.yml", "workflow.yml");
        Map<String, String> moved = Files2.snapshot(migrated);
        Map<String, String> expectedMoved = new java.util.TreeMap<>(original);
        expectedMoved.remove("config.yml");
        expectedMoved.remove("workflow.yml");
        assertThat(moved).isEqualTo(expectedMoved);
        assertThat(Files2.snapshot(backups)).isEmpty();

        assertThat(target.sessions().list(SessionFilter.ALL)).extracting(PersistedSession::id)
                .containsExactlyInAnyOrder("cook-3f2a", "session_20250101_120000");
        assertThat(target.events().listJobs("proj")).hasSize(4);
        assertThat(target.checkpoints().list(CheckpointFilter.ALL)).hasSize(1);
        assertThat(target.dlq().listJobs("proj")).hasSize(1);
        assertThat(target.locks().list()).isEmpty();
    }

    @Test
    void secondRunIsANoOp() {
        LegacyMigration.migrate(project, target, options());
        long events = target.events().lastSequence(io.prodigy.storage.id.JobRef.of("proj", "mapreduce-a"));

        LegacyMigrationReport again = LegacyMigration.migrate(project, target, options());

        assertThat(again.outcome()).isEqualTo(LegacyMigrationReport.Outcome.NOTHING_TO_MIGRATE);
        assertThat(again.messages()).isEmpty();
        assertThat(target.events().lastSequence(io.prodigy.storage.id.JobRef.of("proj", "mapreduce-a")))
                .isEqualTo(events);
        assertThat(project.resolve(".prodigy.migrated-20260115T100000Z-2")).doesNotExist();
    }

    @Test
    void dryRunChangesNothing() {
        LegacyMigrationReport report = LegacyMigration.migrate(project, target, options().withDryRun(true));

        assertThat(report.outcome()).isEqualTo(LegacyMigrationReport.Outcome.DRY_RUN);
        assertThat(report.messages().get(0)).isEqualTo("Dry run: would migrate local storage to global storage...");
        assertThat(report.messages()).contains("  Would move .prodigy/events -> " + store + "/events/proj");
        assertThat(report.importReport().totalImported()).isEqualTo(10);
        assertThat(Files2.snapshot(project.resolve(".prodigy"))).isEqualTo(original);
        assertThat(backups).doesNotExist();
        assertThat(target.sessions().list(SessionFilter.ALL)).isEmpty();
    }

    @Test
    void aTargetFailingMidwayIsRolledBackAndTheLocalDataIsUntouched() {
        FaultInjectingStorage failing = FaultInjectingStorage.wrap(target);
        failing.inject(Fault.on("events.append").onCall(2).failUnavailable());

        assertThatThrownBy(() -> LegacyMigration.migrate(project, failing, options()))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration of legacy storage " + project.resolve(".prodigy")
                        + " failed while importing the legacy data: StorageUnavailableException: Injected fault")
                .hasMessageContaining("Rolled back: the 5 record(s) it had written to the target were removed")
                .hasMessageContaining("are kept as a clean prefix, since a store never reuses a sequence")
                .hasMessageContaining("The local data in " + project.resolve(".prodigy") + " is unchanged")
                .hasMessageContaining("a backup is kept at " + backups.resolve("legacy-backup-proj-20260115T100000Z"))
                .satisfies(e -> assertThat(((MigrationException) e).isRetryable()).isTrue());

        assertThat(Files2.snapshot(project.resolve(".prodigy"))).isEqualTo(original);
        assertThat(Files2.snapshot(backups.resolve("legacy-backup-proj-20260115T100000Z"))).isEqualTo(original);
        assertThat(target.sessions().list(SessionFilter.ALL)).isEmpty();
        assertThat(target.dlq().listJobs(null)).isEmpty();
        assertThat(target.checkpoints().list(CheckpointFilter.ALL)).isEmpty();
        long keptEvents = countEvents(target);
        assertThat(keptEvents).as("the first append of the failed run, kept as a prefix").isPositive();

        failing.clearFaults();
        LegacyMigrationReport retry = LegacyMigration.migrate(project, failing, options());
        assertThat(retry.outcome()).isEqualTo(LegacyMigrationReport.Outcome.MIGRATED);
        assertThat(retry.importReport().totalImported() + keptEvents).as("nothing lost, nothing twice")
                .isEqualTo(10);
    }

    @Test
    void aFailedMoveIsUndoneAndMissingEntriesAreRestoredFromTheBackup() {
        LegacyFiles losing = new LegacyFiles() {
            private int moves;

            @Override
            void move(Path from, Path to) throws IOException {
                if (++moves == 2) {
                    deleteTree(from); // the rename broke half-way and lost its source
                    throw new IOException("Input/output error");
                }
                super.move(from, to);
            }
        };

        assertThatThrownBy(() -> new LegacyMigration(losing).run(project, target, options()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("failed while moving the local data aside: IOException: Input/output error")
                .hasMessageContaining("Rolled back: the 5 record(s)")
                .hasMessageContaining("are kept as a clean prefix");

        assertThat(Files2.snapshot(project.resolve(".prodigy"))).isEqualTo(original);
        assertThat(project.resolve(".prodigy.migrated-20260115T100000Z")).doesNotExist();
        assertEmpty(target);
    }

    @Test
    void differentDataAlreadyInTheTargetFailsAndKeepsIt() {
        PersistedSession mine = target.sessions().save(PersistedSession.create("cook-3f2a",
                Instant.parse("2026-01-01T00:00:00Z")));

        assertThatThrownBy(() -> LegacyMigration.migrate(project, target, options()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("the target already holds different data for 1 record(s): session cook-3f2a");

        assertThat(target.sessions().list(SessionFilter.ALL)).containsExactly(mine);
        assertThat(target.dlq().listJobs(null)).isEmpty();
        assertThat(target.checkpoints().list(CheckpointFilter.ALL)).isEmpty();
        assertThat(Files2.snapshot(project.resolve(".prodigy"))).isEqualTo(original);
    }

    @Test
    void backupInsideTheProjectIsRefused() {
        assertThatThrownBy(() -> LegacyMigration.migrate(project, target,
                LegacyMigrationOptions.of(project.resolve("backups"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is inside the project");
        assertThat(Files2.snapshot(project.resolve(".prodigy"))).isEqualTo(original);
    }

    /** Nothing but event logs, which a rollback keeps as a clean prefix (a store never reuses a sequence). */
    private static void assertEmpty(UnifiedStorage store) {
        assertThat(store.sessions().list(SessionFilter.ALL)).isEmpty();
        assertThat(store.dlq().listJobs(null)).isEmpty();
        assertThat(store.checkpoints().list(CheckpointFilter.ALL)).isEmpty();
    }

    static long countEvents(UnifiedStorage store) {
        return store.events().listJobs(null).stream().mapToLong(j -> {
            try (Stream<?> s = store.events().query(io.prodigy.storage.event.EventFilter.forJob(j))) {
                return s.count();
            }
        }).sum();
    }

    static List<Path> migratedDirs(Path project) throws IOException {
        try (Stream<Path> s = Files.list(project)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".prodigy.migrated-")).toList();
        }
    }
}
