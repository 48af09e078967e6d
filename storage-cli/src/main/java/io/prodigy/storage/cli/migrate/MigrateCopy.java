package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.OpenedStorage;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.cli.convert.DurationConverter;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.core.config.url.StorageUrl;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.copy.CopyFailedException;
import io.prodigy.storage.migrate.copy.CopyOptions;
import io.prodigy.storage.migrate.copy.CopyProgress;
import io.prodigy.storage.migrate.copy.CopyReport;
import io.prodigy.storage.migrate.copy.FollowOptions;
import io.prodigy.storage.migrate.copy.FollowReport;
import io.prodigy.storage.migrate.copy.StorageMigrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate copy}: copies everything from a source storage (the configured one, or {@code --from URL}) to a
 * target ({@code --to URL} or the YAML file {@code --to-config}), any backend to any backend. Resumable: running it
 * again after an interruption continues without duplicating anything. Locks are not copied; a source with live leases
 * is refused unless {@code --force}. With {@code --follow} it keeps copying what writers add to the source until told
 * to stop, then cuts over (see {@link StorageMigrator#follow}).
 */
@Command(name = "copy", description = "Copy everything from the configured storage (or --from URL) to another"
        + " storage (--to URL or --to-config FILE): any backend to any backend, resumable; with --follow, keep copying"
        + " while writers keep working, then cut over.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage migrate copy --to-config target.yml --dry-run",
            "  prodigy-storage migrate copy --to-config target.yml --verify",
            "  prodigy-storage migrate copy --from file:///srv/prodigy --to postgresql://app@db/prodigy --verify",
            "  prodigy-storage migrate copy --to postgresql://app@db/prodigy --follow --until-file /tmp/cut-over",
            "  prodigy-storage --storage-dir /old migrate copy --to-config new.yml --force",
            "", "target.yml holds a 'storage:' block, for example:",
            "  storage:", "    backend: file", "    backend_config:", "      base_dir: /srv/prodigy-new",
            "", "Exit codes with --follow: 0 cut over and verified; 1 not verified (see the report); 3 cut over and",
            "verified, but the source still held locks (listed): their holders still run against the source."})
final class MigrateCopy extends StorageCommand {

    /** Exit code of a verified cut-over while the source still held locks. */
    static final int LOCKS_HELD = 3;

    @Option(names = "--from", paramLabel = "URL", description = "Storage URL of the source (default: the configured"
            + " storage), for example file:///srv/prodigy or postgresql://app@db/prodigy.")
    String from;

    @Option(names = "--to", paramLabel = "URL", description = "Storage URL of the target. Give this or --to-config.")
    String to;

    @Option(names = "--to-config", paramLabel = "FILE",
            description = "YAML file whose 'storage:' block configures the target. Give this or --to.")
    Path targetConfig;

    @Option(names = "--dry-run", description = "Read both stores and report what would be copied; write nothing.")
    boolean dryRun;

    @Option(names = "--verify", description = "After copying, compare target and source (counts and checksums per"
            + " record type, repository and job). Always done at a --follow cut-over.")
    boolean verify;

    @Option(names = "--force", description = "Copy even though the source has live locks or DLQ claims (they are not"
            + " copied; --follow always does). With --follow also: accept a target that holds records the source"
            + " does not (they are deleted), as when resuming a live migration whose source deleted records.")
    boolean force;

    @Option(names = "--follow", description = "After the copy, keep copying what writers add to the source until"
            + " stopped (Ctrl-C, SIGTERM, --until-file or --follow-for), then cut over: a last catch-up pass,"
            + " verification, and the locks still held in the source.")
    boolean follow;

    @Option(names = "--until-file", paramLabel = "PATH", description = "With --follow: cut over once PATH exists.")
    Path untilFile;

    @Option(names = "--follow-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --follow: cut over after DURATION (for example 30s, 10m).")
    Duration followFor;

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --follow: pause between passes (default: 1s).")
    Duration pollInterval;

    @Override
    protected int execute(CliContext ctx) throws Exception {
        checkUsage(ctx);
        Path file = targetConfig == null ? null : ctx.resolve(targetConfig);
        if (file != null && !Files.isRegularFile(file)) {
            throw new UsageException("Target configuration '" + file + "' does not exist (or is not a file).");
        }
        StorageFactory factory = StorageFactory.create()
                .withContext(new StorageContext(ctx.environment().clock(), null));
        try (Endpoint source = source(ctx, factory);
                UnifiedStorage target = file != null ? factory.openFile(file) : factory.openUrl(to, "--to")) {
            String targetName = file != null ? "the storage configured in " + file : StorageUrl.redact(to);
            if (!ctx.json()) {
                ctx.out().line("%s %s storage at %s to %s (%s backend)%s", dryRun ? "Dry run: comparing" : "Copying",
                        source.backend(), source.location(), targetName, target.backendType(),
                        follow ? ", then following it" : "...");
            }
            return follow ? new FollowRun(ctx, this).run(source.storage(), target, targetName)
                    : copy(ctx, source.storage(), target);
        }
    }

    private void checkUsage(CliContext ctx) {
        if ((to == null) == (targetConfig == null)) {
            throw new UsageException(to == null ? "Say where to copy to: --to URL (for example"
                    + " postgresql://app@db/prodigy) or --to-config FILE (a YAML file with a 'storage:' block)."
                    : "Give the target once: --to URL or --to-config FILE, not both.");
        }
        if (from != null && (ctx.options().storageUrl() != null || ctx.options().storageDir() != null
                || ctx.options().backend() != null)) {
            throw new UsageException("The source is given twice: --from names it, so leave out --storage-url,"
                    + " --storage-dir and --backend (or leave out --from to copy the configured storage).");
        }
        if (from != null && from.strip().equals(to == null ? null : to.strip())) {
            throw new UsageException("--from and --to name the same storage (" + StorageUrl.redact(to) + "): the"
                    + " target must be another store.");
        }
        if (!follow && (untilFile != null || followFor != null || pollInterval != null)) {
            throw new UsageException("--until-file, --follow-for and --poll-interval only apply with --follow.");
        }
        if (follow && dryRun) {
            throw new UsageException("--follow copies; it cannot be a --dry-run. Run the dry run first without"
                    + " --follow.");
        }
        if (pollInterval != null && (pollInterval.isZero() || pollInterval.isNegative())) {
            throw new UsageException("--poll-interval must be positive, for example 500ms or 2s.");
        }
    }

    private Endpoint source(CliContext ctx, StorageFactory factory) {
        if (from == null) {
            OpenedStorage opened = ctx.opened();
            return new Endpoint(opened.storage(), opened.backend(), opened.location(), () -> { });
        }
        UnifiedStorage storage = factory.openUrl(from, "--from");
        return new Endpoint(storage, storage.backendType(), StorageUrl.redact(from), storage::close);
    }

    /**
     * The source and how to describe and release it: the configured storage is closed by the command's context,
     * one opened from {@code --from} here.
     */
    private record Endpoint(UnifiedStorage storage, String backend, String location, Runnable closer)
            implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    private int copy(CliContext ctx, UnifiedStorage source, UnifiedStorage target) {
        TypeBars bars = new TypeBars(ctx);
        CopyReport report;
        try {
            report = new StorageMigrator(source, target).copy(CopyOptions.DEFAULT.withDryRun(dryRun)
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

    private void print(CliContext ctx, CopyReport report) {
        if (ctx.json()) {
            Map<String, Object> doc = MigrationOutput.copyJson(report);
            describeTarget(ctx, doc);
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

    /** Names the source and target in a JSON report, passwords masked. */
    private void describeTarget(CliContext ctx, Map<String, Object> doc) {
        if (from != null) {
            doc.put("from", StorageUrl.redact(from));
        }
        if (to != null) {
            doc.put("to", StorageUrl.redact(to));
        } else {
            doc.put("target_config", ctx.resolve(targetConfig).toString());
        }
    }

    FollowOptions followOptions(TypeBars bars, FollowOptions.PassListener passes) {
        FollowOptions options = FollowOptions.DEFAULT.withProgress(bars::update).withPasses(passes)
                .withMirrorTarget(force);
        return pollInterval == null ? options : options.withPollInterval(pollInterval);
    }

    Path untilFile(CliContext ctx) {
        return untilFile == null ? null : ctx.resolve(untilFile);
    }

    Duration followFor() {
        return followFor;
    }

    void printFollow(CliContext ctx, FollowReport report, String targetName) {
        if (ctx.json()) {
            Map<String, Object> doc = MigrationOutput.followJson(report);
            describeTarget(ctx, doc);
            ctx.out().printJson(doc);
            return;
        }
        MigrationOutput.printFollow(ctx.out(), report);
        ctx.out().line(!report.ok() ? "Cut-over NOT verified (see above): keep the writers on the source, fix the"
                + " cause and run the same command again; it continues without duplicating anything."
                : report.locksHeld() ? "Cut-over verified, but the source still holds the locks above: stop their"
                        + " holders (or let the leases lapse) before pointing writers at " + targetName + "."
                : "Cut-over complete and verified: point the writers at " + targetName + ".");
    }

    /** One progress display per record type, replaced when the copy moves on to the next type. */
    static final class TypeBars {
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
