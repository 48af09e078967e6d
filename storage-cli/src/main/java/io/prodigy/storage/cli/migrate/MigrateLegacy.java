package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.OpenedStorage;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.migrate.legacy.LegacyDetection;
import io.prodigy.storage.migrate.legacy.LegacyMigration;
import io.prodigy.storage.migrate.legacy.LegacyMigrationOptions;
import io.prodigy.storage.migrate.legacy.LegacyMigrationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate legacy}: moves a project's deprecated local {@code .prodigy/} data into the global storage (spec
 * 102): backup first, import, verify by reading back, then move the local data aside; all or nothing. Prodigy does
 * this automatically on open; this command does it on demand, and shows with {@code --dry-run} what would happen.
 */
@Command(name = "legacy", description = "Migrate a project's local .prodigy/ data (deprecated layout) into the"
        + " configured global storage: backup, import, verify, then move the local data aside.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage migrate legacy --dry-run", "  prodigy-storage migrate legacy",
            "  prodigy-storage migrate legacy ~/src/my-project --backup-dir /backups"})
final class MigrateLegacy extends StorageCommand {

    @Parameters(arity = "0..1", paramLabel = "PROJECT_DIR", description = "The project (default: the current"
            + " directory).")
    Path projectDir;

    @Option(names = "--dry-run", description = "Only report what would be migrated; change nothing.")
    boolean dryRun;

    @Option(names = "--backup-dir", paramLabel = "DIR", description = "Where the backup of .prodigy/ goes (default:"
            + " backups/ in the storage's base directory, or ~/.prodigy/backups).")
    Path backupDir;

    @Override
    protected int execute(CliContext ctx) {
        Path project = projectDir == null ? ctx.environment().workingDir() : ctx.resolve(projectDir);
        if (!Files.isDirectory(project)) {
            throw new UsageException("Project directory '" + project + "' does not exist (or is not a directory).");
        }
        ctx.withoutLegacyMigration(); // this command migrates itself, with --dry-run and a report
        OpenedStorage opened = ctx.opened();
        if (!dryRun && !opened.keepsData()) {
            throw new UsageException("Backend '" + opened.backend() + "' (" + opened.location() + ") keeps nothing"
                    + " after this command exits, so migrating into it would move the legacy data aside and lose it."
                    + " Migrate into a durable backend (the default file backend, or --backend file), or turn on the"
                    + " memory backend's persist_to_disk. Nothing was changed.");
        }
        LegacyDetection detection = LegacyMigration.detect(project, opened.baseDir());
        if (!detection.found()) {
            report(ctx, "nothing_to_migrate", detection.reason());
            return ExitCodes.OK;
        }
        Path backups = backupDir != null ? ctx.resolve(backupDir)
                : opened.baseDir() != null ? opened.baseDir().resolve("backups")
                : ctx.environment().home().resolve(".prodigy").resolve("backups");
        LegacyMigrationOptions options = LegacyMigrationOptions.of(backups).withDryRun(dryRun)
                .withTargetLabel(opened.location()).withGlobalBaseDir(opened.baseDir())
                .withClock(ctx.environment().clock());
        LegacyMigrationReport result = LegacyMigration.migrate(project, ctx.storage(), options);
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
            doc.put("project", project.toString());
            doc.put("repository", result.repository());
            doc.put("messages", result.messages());
            if (result.importReport() != null) {
                doc.put("import", MigrationOutput.importJson(result.importReport()));
            }
            if (result.verification() != null) {
                doc.put("verification", MigrationOutput.verificationJson(result.verification()));
            }
            if (result.migratedDir() != null) {
                doc.put("migrated_dir", result.migratedDir().toString());
            }
            ctx.out().printJson(doc);
            return ExitCodes.OK;
        }
        result.messages().forEach(ctx.out()::line);
        if (result.importReport() != null) {
            MigrationOutput.printImport(ctx.out(), result.importReport());
        }
        if (result.verification() != null) {
            MigrationOutput.printVerification(ctx.out(), result.verification());
        }
        if (result.outcome() == LegacyMigrationReport.Outcome.NOTHING_TO_MIGRATE) {
            ctx.out().line("Nothing to migrate: " + detection.reason());
        }
        return ExitCodes.OK;
    }

    private static void report(CliContext ctx, String outcome, String reason) {
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("outcome", outcome);
            doc.put("reason", reason);
            ctx.out().printJson(doc);
        } else {
            ctx.out().line("Nothing to migrate: " + reason);
        }
    }
}
