package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.migrate.prodigy.ImportOptions;
import io.prodigy.storage.migrate.prodigy.ImportReport;
import io.prodigy.storage.migrate.prodigy.ProdigyImporter;
import io.prodigy.storage.migrate.verify.ManifestVerifier;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate import}: imports a base directory written by the original tool (a real {@code ~/.prodigy}) into the
 * configured storage, then reads every imported record back to verify it. Importing twice imports nothing new.
 */
@Command(name = "import", description = "Import a base directory written by the original Prodigy tool (for example"
        + " an old ~/.prodigy) into the configured storage, and verify it by reading it back.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage migrate import ~/.prodigy-backup --dry-run",
            "  prodigy-storage migrate import ~/.prodigy-backup",
            "  prodigy-storage --storage-dir /srv/prodigy migrate import /mnt/old/.prodigy",
            "  prodigy-storage migrate import ./project/.prodigy --project-repo project"})
final class MigrateImport extends StorageCommand {

    @Parameters(paramLabel = "PRODIGY_DIR", description = "The original tool's base directory.")
    Path directory;

    @Option(names = "--dry-run", description = "Read everything and report what would be imported; write nothing.")
    boolean dryRun;

    @Option(names = "--project-repo", paramLabel = "NAME", description = "Read PRODIGY_DIR as a project's legacy"
            + " .prodigy/ whose data all belongs to repository NAME (default: a global tree).")
    String projectRepository;

    @Option(names = "--redact-env-secrets", description = "Mask secret-looking environment variables that the"
            + " original tool saved in workflow checkpoints.")
    boolean redactSecrets;

    @Override
    protected int execute(CliContext ctx) {
        Path dir = ctx.resolve(directory);
        if (!Files.isDirectory(dir)) {
            throw new UsageException("Directory '" + dir + "' does not exist (or is not a directory). Pass the"
                    + " original tool's base directory, for example ~/.prodigy.");
        }
        ImportOptions options = ImportOptions.DEFAULT.withDryRun(dryRun).withRedactedEnvironmentSecrets(redactSecrets);
        if (projectRepository != null) {
            options = options.projectLocal(projectRepository);
        }
        if (!ctx.json()) {
            ctx.out().line("%s %s into %s storage at %s...", dryRun ? "Dry run: reading" : "Importing", dir,
                    ctx.opened().backend(), ctx.opened().location());
        }
        ImportReport report;
        try (Progress progress = ctx.progress("import " + dir.getFileName(), -1)) {
            report = ProdigyImporter.importTree(dir, ctx.storage(), options);
            progress.stepBy(report.totalRead());
        }
        VerificationReport verification = dryRun ? null : ManifestVerifier.verify(report.manifest(), ctx.storage());
        boolean ok = !report.hasConflicts() && (verification == null || verification.ok());
        if (ctx.json()) {
            Map<String, Object> doc = MigrationOutput.importJson(report);
            doc.put("ok", ok);
            if (verification != null) {
                doc.put("verification", MigrationOutput.verificationJson(verification));
            }
            ctx.out().printJson(doc);
        } else {
            MigrationOutput.printImport(ctx.out(), report);
            if (verification != null) {
                MigrationOutput.printVerification(ctx.out(), verification);
            }
            ctx.out().line(ok ? (dryRun ? "Dry run complete: nothing was written." : "Import complete.")
                    : "Import finished with problems (see the conflicts and mismatches above); records already in"
                            + " the target were left as they were. Running it again is safe.");
        }
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
