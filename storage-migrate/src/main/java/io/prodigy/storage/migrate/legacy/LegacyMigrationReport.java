package io.prodigy.storage.migrate.legacy;

import io.prodigy.storage.migrate.prodigy.ImportReport;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link LegacyMigration#migrate}. A failed migration throws instead (see there).
 *
 * @param repository   the repository the data was migrated under ({@code null} if nothing was found)
 * @param importReport what was read, imported and skipped ({@code null} if nothing was found)
 * @param verification the read-back check ({@code null} unless {@link Outcome#MIGRATED})
 * @param migratedDir  where the local data files were moved ({@code null} unless {@link Outcome#MIGRATED})
 * @param messages     the lines logged for the user (spec 102 wording), also for the CLI to print
 */
public record LegacyMigrationReport(
        Outcome outcome, Path projectDir, String repository, LegacyDetection detection, ImportReport importReport,
        VerificationReport verification, Path migratedDir, List<String> messages) {

    public enum Outcome {
        /** No legacy data (none ever, or migrated already, possibly by another process just now). */
        NOTHING_TO_MIGRATE,
        /** Dry run: the report says what would be migrated; nothing changed. */
        DRY_RUN,
        /** Imported, verified, and the local data moved aside. */
        MIGRATED
    }

    public LegacyMigrationReport {
        messages = List.copyOf(messages);
    }
}
