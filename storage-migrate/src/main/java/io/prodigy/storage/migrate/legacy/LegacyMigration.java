package io.prodigy.storage.migrate.legacy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.id.RepositoryNames;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.prodigy.ImportOptions;
import io.prodigy.storage.migrate.prodigy.ImportReport;
import io.prodigy.storage.migrate.prodigy.ProdigyImporter;
import io.prodigy.storage.migrate.prodigy.SourceKind;
import io.prodigy.storage.migrate.verify.ManifestVerifier;
import io.prodigy.storage.migrate.verify.RecordManifest;
import io.prodigy.storage.migrate.verify.VerificationReport;
import io.prodigy.storage.migrate.write.CreatedRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a project's legacy local storage ({@code .prodigy/} in the project, spec 102/103/058) into the global store,
 * under the project's repository name ({@link RepositoryNames#fromPath}).
 *
 * <p><b>Safety (spec 103).</b> Under the storage lock {@code legacy-migration:{repo}} (so two processes never both
 * migrate; detection is repeated after acquiring it): back up {@code .prodigy/} to
 * {@code {backupDir}/legacy-backup-{repo}-{timestamp}/} and check the copy; import the data entries; verify by
 * reading every imported record back from the target (counts and checksums per record type); then move the data
 * entries, and only those, into {@code .prodigy.migrated-{timestamp}/} next to {@code .prodigy/} (which is removed if
 * nothing else is left in it). Configuration files such as {@code .prodigy/config.yml} and {@code workflow.yml} stay
 * where they are. The moved directory keeps the original files for a manual rollback, so the backup is deleted after
 * a successful migration.
 *
 * <p><b>All or nothing.</b> If any step fails, every record this run created in the target is deleted again (records
 * that were already there are left alone), the local data is restored (moved back, or copied from the backup if
 * that is not possible), the backup is kept, and a {@link MigrationException} says which step failed and why. If the
 * process dies before it can roll back, running the migration again is exact: records in place are recognised by
 * their ids and content, event logs continue after their verified prefix, nothing is duplicated.
 *
 * <p><b>Idempotent.</b> After a migration the project has no legacy data entries, so a second run finds nothing.
 */
public final class LegacyMigration {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyMigration.class);
    static final String LEGACY_DIR = ".prodigy";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final LegacyMigration DEFAULT = new LegacyMigration(new LegacyFiles());

    private final LegacyFiles files;

    LegacyMigration(LegacyFiles files) {
        this.files = files;
    }

    /** Looks for legacy data in {@code projectDir/.prodigy}; never changes anything. */
    public static LegacyDetection detect(Path projectDir) {
        return LegacyDetector.detect(projectDir, null);
    }

    /**
     * As {@link #detect(Path)}, also treating {@code globalBaseDir} (the global store's directory) as never legacy.
     */
    public static LegacyDetection detect(Path projectDir, Path globalBaseDir) {
        return LegacyDetector.detect(projectDir, globalBaseDir);
    }

    /**
     * Migrates the project's legacy data into {@code target}; see the class comment for the steps.
     *
     * @return what was done; {@link LegacyMigrationReport.Outcome#NOTHING_TO_MIGRATE} if there was nothing (also when
     *         another process migrated it while this one waited for the lock)
     * @throws MigrationException             if a step failed; the target and the local data are as before
     * @throws io.prodigy.storage.error.LockTimeoutException if another process kept migrating past
     *                                        {@link LegacyMigrationOptions#lockWait()}
     * @throws InvalidInputException          if the backup directory is inside the project
     */
    public static LegacyMigrationReport migrate(Path projectDir, UnifiedStorage target,
            LegacyMigrationOptions options) {
        return DEFAULT.run(projectDir, target, options);
    }

    LegacyMigrationReport run(Path projectDir, UnifiedStorage target, LegacyMigrationOptions options) {
        LegacyDetection detection = LegacyDetector.detect(projectDir, options.globalBaseDir());
        if (!detection.found()) {
            return nothing(projectDir, detection);
        }
        Path project = projectDir.toAbsolutePath().normalize();
        if (options.backupDir().toAbsolutePath().normalize().startsWith(project)) {
            throw new InvalidInputException("The backup directory " + options.backupDir() + " is inside the project "
                    + project + "; choose one outside it (for example the global store's backups/ directory).");
        }
        String repository = RepositoryNames.fromPath(projectDir);
        Messages messages = new Messages(options.targetLabel() != null ? options.targetLabel()
                : target.backendType() + " storage", repository);
        if (options.dryRun()) {
            ImportReport report = ProdigyImporter.importTree(detection.legacyDir(), target,
                    ImportOptions.DEFAULT.projectLocal(repository).withDryRun(true));
            return new LegacyMigrationReport(LegacyMigrationReport.Outcome.DRY_RUN, projectDir, repository,
                    detection, report, null, null, messages.dryRun(detection, report));
        }
        String key = "legacy-migration:" + repository;
        LockLease lease = target.locks().acquire(key, options.lockTtl(), options.lockWait());
        try (LeaseKeeper keeper = new LeaseKeeper(target.locks(), lease, options.lockTtl())) {
            LegacyDetection again = LegacyDetector.detect(projectDir, options.globalBaseDir());
            if (!again.found()) {
                LOG.info("Legacy storage of {} was migrated by another process meanwhile; nothing to do.", projectDir);
                return nothing(projectDir, again);
            }
            return migrateLocked(projectDir, target, options, again, repository, messages, keeper);
        }
    }

    private LegacyMigrationReport migrateLocked(Path projectDir, UnifiedStorage target,
            LegacyMigrationOptions options, LegacyDetection detection, String repository, Messages messages,
            LeaseKeeper keeper) {
        String stamp = STAMP.format(options.clock().instant());
        Path legacyDir = detection.legacyDir();
        Path backup = files.backup(legacyDir, options.backupDir(), "legacy-backup-" + repository + "-" + stamp);
        RecordManifest manifest = new RecordManifest();
        CreatedRecords created = new CreatedRecords();
        String step = "importing the legacy data";
        try {
            ImportReport report = ProdigyImporter.importTree(legacyDir, target,
                    ImportOptions.DEFAULT.projectLocal(repository), manifest, created);
            keeper.check();
            if (report.hasConflicts()) {
                throw new MigrationException("the target already holds different data for " + report.conflicts().size()
                        + " record(s): " + String.join("; ", report.conflicts().subList(0,
                                Math.min(5, report.conflicts().size()))));
            }
            step = "verifying the imported data";
            VerificationReport verification = ManifestVerifier.verify(manifest, target);
            if (!verification.ok()) {
                throw new MigrationException("reading the data back from the target did not match: "
                        + verification.summary());
            }
            keeper.check();
            step = "moving the local data aside";
            Path migrated = files.moveAside(detection.dataEntries(), legacyDir.getParent(),
                    LEGACY_DIR + ".migrated-" + stamp);
            removeIfEmpty(legacyDir);
            deleteBackup(backup);
            List<String> lines = messages.done(detection, report, migrated);
            LOG.info(String.join(System.lineSeparator(), lines));
            return new LegacyMigrationReport(LegacyMigrationReport.Outcome.MIGRATED, projectDir, repository,
                    detection, report, verification, migrated, lines);
        } catch (IOException | RuntimeException e) {
            throw failed(step, e, target, created, detection, backup);
        }
    }

    private MigrationException failed(String step, Exception cause, UnifiedStorage target, CreatedRecords created,
            LegacyDetection detection, Path backup) {
        CreatedRecords.Rollback rollback = created.rollback(target);
        String local;
        try {
            files.restoreMissing(backup, detection.legacyDir(),
                    detection.dataEntries().stream().map(p -> p.getFileName().toString()).toList());
            local = "The local data in " + detection.legacyDir() + " is unchanged";
        } catch (IOException | RuntimeException restore) {
            cause.addSuppressed(restore);
            local = "Restoring " + detection.legacyDir() + " failed (" + restore.getMessage() + "); copy it back from"
                    + " the backup";
        }
        String targetState = rollback.complete()
                ? "the " + rollback.removed() + " record(s) it had written to the target were removed"
                : "removing what it had written to the target failed for " + rollback.failures().size()
                        + " record(s) (" + String.join("; ", rollback.failures()) + "); running the migration again"
                        + " finds them and continues";
        if (!rollback.keptEventLogs().isEmpty()) {
            targetState += "; the event logs it had started (" + rollback.keptEventLogs().stream()
                    .map(JobRef::toString).collect(Collectors.joining(", ")) + ") are kept as a clean prefix, since a"
                    + " store never reuses a sequence, and running the migration again continues them";
        }
        String reason = cause instanceof MigrationException ? cause.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        MigrationException e = new MigrationException("Migration of legacy storage " + detection.legacyDir()
                + " failed while " + step + ": " + reason + ". Rolled back: " + targetState + ". " + local
                + "; a backup is kept at " + backup + ". Fix the cause and run the migration again (re-running is"
                + " safe).", cause);
        LOG.error(e.getMessage());
        return e;
    }

    /** Removes the emptied {@code .prodigy/}; a failure only leaves an empty directory behind. */
    private void removeIfEmpty(Path legacyDir) {
        try {
            if (Files.isDirectory(legacyDir, LinkOption.NOFOLLOW_LINKS) && LegacyFiles.isEmptyDir(legacyDir)) {
                Files.delete(legacyDir);
            }
        } catch (IOException e) {
            LOG.warn("The migration succeeded, but the empty directory {} could not be removed ({}).", legacyDir,
                    e.getMessage());
        }
    }

    private void deleteBackup(Path backup) {
        try {
            files.deleteTree(backup);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The migration succeeded, but its backup {} could not be deleted ({}); delete it yourself.",
                    backup, e.getMessage());
        }
    }

    private static LegacyMigrationReport nothing(Path projectDir, LegacyDetection detection) {
        return new LegacyMigrationReport(LegacyMigrationReport.Outcome.NOTHING_TO_MIGRATE, projectDir, null,
                detection, null, null, null, List.of());
    }

    /** The user-facing lines, worded as in spec 102. */
    private record Messages(String target, String repository) {

        List<String> dryRun(LegacyDetection detection, ImportReport report) {
            List<String> lines = new ArrayList<>();
            lines.add("Dry run: would migrate local storage to global storage...");
            moves(lines, detection, "  Would move ");
            lines.add("Dry run complete: " + counts(report) + ". Nothing was changed.");
            return lines;
        }

        List<String> done(LegacyDetection detection, ImportReport report, Path migrated) {
            List<String> lines = new ArrayList<>();
            lines.add("Migrating local storage to global storage...");
            moves(lines, detection, "  Moving ");
            lines.add("Migration complete. " + counts(report) + ". Local storage moved to " + migrated.getFileName()
                    + " (delete it once you have checked your data).");
            if (report.totalSkipped() > 0) {
                lines.add("  " + report.totalSkipped() + " unreadable or unknown entries were not imported; they"
                        + " remain in " + migrated.getFileName() + ": " + report.skipped().stream()
                        .filter(s -> s.kind() != SourceKind.OTHER_FILE).limit(5).map(Object::toString)
                        .collect(Collectors.joining("; ")));
            }
            return lines;
        }

        private void moves(List<String> lines, LegacyDetection detection, String verb) {
            for (Path entry : detection.dataEntries()) {
                String name = entry.getFileName().toString();
                String where = switch (name) {
                    case "events" -> "events/" + repository;
                    case "dlq" -> "dlq/" + repository;
                    case "state", "mapreduce" -> "state/" + repository;
                    default -> "sessions";
                };
                lines.add(verb + LEGACY_DIR + "/" + name + " -> " + location(where));
            }
        }

        private String location(String relative) {
            boolean isPath = target.contains("/") || target.contains("\\") || target.startsWith("~");
            return isPath ? target + "/" + relative : target + " (" + relative + ")";
        }

        private static String counts(ImportReport report) {
            return report.totalImported() + " records imported, " + report.totalAlreadyPresent()
                    + " already present, " + report.totalSkipped() + " skipped";
        }
    }
}
