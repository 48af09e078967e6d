package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.OpenedStorage;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.copy.CopyFailedException;
import io.prodigy.storage.migrate.copy.CopyOptions;
import io.prodigy.storage.migrate.copy.CopyProgress;
import io.prodigy.storage.migrate.copy.CopyReport;
import io.prodigy.storage.migrate.copy.StorageMigrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate copy}: copies everything from the configured storage (the source) to the storage a YAML file
 * configures (the target), any backend to any backend. Resumable: running it again after an interruption continues
 * without duplicating anything. Locks are not copied; a source with live leases is refused unless {@code --force}.
 */
@Command(name = "copy", description = "Copy everything from the configured storage to the storage configured in"
        + " FILE (any backend to any backend; resumable).", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage migrate copy --to-config target.yml --dry-run",
            "  prodigy-storage migrate copy --to-config target.yml --verify",
            "  prodigy-storage --storage-dir /old migrate copy --to-config new.yml --force",
            "", "target.yml holds a 'storage:' block, for example:",
            "  storage:", "    backend: file", "    backend_config:", "      base_dir: /srv/prodigy-new"})
final class MigrateCopy extends StorageCommand {

    @Option(names = "--to-config", required = true, paramLabel = "FILE",
            description = "YAML file whose 'storage:' block configures the target.")
    Path targetConfig;

    @Option(names = "--dry-run", description = "Read both stores and report what would be copied; write nothing.")
    boolean dryRun;

    @Option(names = "--verify", description = "After copying, compare target and source (counts and checksums per"
            + " record type, repository and job).")
    boolean verify;

    @Option(names = "--force", description = "Copy even though the source has live locks or DLQ claims (they are not"
            + " copied).")
    boolean force;

    @Override
    protected int execute(CliContext ctx) {
        Path file = ctx.resolve(targetConfig);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("Target configuration '" + file + "' does not exist (or is not a file).");
        }
        OpenedStorage source = ctx.opened();
        try (UnifiedStorage target = StorageFactory.create()
                .withContext(new StorageContext(ctx.environment().clock(), null)).openFile(file)) {
            if (!ctx.json()) {
                ctx.out().line("%s %s storage at %s to the storage configured in %s (%s backend)...",
                        dryRun ? "Dry run: comparing" : "Copying", source.backend(), source.location(), file,
                        target.backendType());
            }
            TypeBars bars = new TypeBars(ctx);
            CopyReport report;
            try {
                report = new StorageMigrator(source.storage(), target).copy(CopyOptions.DEFAULT.withDryRun(dryRun)
                        .withForce(force).withVerify(verify && !dryRun).withProgress(bars::update));
            } catch (CopyFailedException e) {
                bars.close();
                print(ctx, e.report());
                ctx.out().note("error: " + e.getMessage());
                return ExitCodes.FAILED;
            } finally {
                bars.close();
            }
            print(ctx, report);
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private void print(CliContext ctx, CopyReport report) {
        if (ctx.json()) {
            Map<String, Object> doc = MigrationOutput.copyJson(report);
            doc.put("target_config", ctx.resolve(targetConfig).toString());
            ctx.out().printJson(doc);
            return;
        }
        MigrationOutput.printCopy(ctx.out(), report);
        if (report.verification() != null) {
            MigrationOutput.printVerification(ctx.out(), report.verification());
        }
        ctx.out().line(report.dryRun() ? "Dry run complete: nothing was written."
                : report.ok() ? "Copy complete" + (report.verification() != null ? " and verified." : ".")
                : "Copy finished with problems (see above). Fix them and run the same command again: it continues"
                        + " without duplicating anything.");
    }

    /** One progress display per record type, replaced when the copy moves on to the next type. */
    private static final class TypeBars {
        private final CliContext ctx;
        private RecordType type;
        private Progress progress = Progress.NONE;
        private long shown;

        TypeBars(CliContext ctx) {
            this.ctx = ctx;
        }

        void update(CopyProgress p) {
            if (p.type() != type) {
                progress.close();
                type = p.type();
                shown = 0;
                progress = ctx.progress("copy " + MigrationOutput.label(type), p.recordsTotal());
            }
            progress.stepBy(p.recordsDone() - shown);
            shown = p.recordsDone();
        }

        void close() {
            progress.close();
            progress = Progress.NONE;
        }
    }
}
