package io.prodigy.storage.cli.cleanup;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.FileBackendAccess;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.cli.info.DiskUsage;
import io.prodigy.storage.cli.info.Inventory;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.config.Durations;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.file.FileStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cleanup}: event retention with storage statistics before and after (docs/configuration.md's
 * troubleshooting for a full disk). Removes the events older than {@code --older-than} in every job (of
 * {@code --repo} when given). On the file backend it uses the backend's retention, which archives removed events
 * first when {@code backend_config.retention.archive} is on; elsewhere the SPI's purge. Sequences of the remaining
 * events never change.
 */
@Command(name = "cleanup", description = "Remove events older than a given age, showing storage statistics before"
        + " and after. All repositories unless --repo is given.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage cleanup --dry-run", "  prodigy-storage cleanup --older-than 7d",
            "  prodigy-storage cleanup --older-than 90d --no-archive",
            "  prodigy-storage --repo my-project cleanup --older-than 12h --dry-run"})
public final class CleanupCommand extends StorageCommand {

    /** Statistics at one moment; JSON {@code {jobs, events, dlq_items, checkpoints, bytes}}. */
    record Snapshot(long jobs, long events, long dlqItems, long checkpoints, Long bytes) {
        static Snapshot take(CliContext ctx, String repository) {
            Inventory inv = Inventory.of(ctx.storage(), repository);
            DiskUsage usage = DiskUsage.of(ctx.storage());
            Long bytes = !usage.available() ? null
                    : repository == null ? usage.totalBytes() : usage.repositoryBytes(repository).orElse(0L);
            return new Snapshot(inv.totalJobs(), inv.totalEvents(), inv.totalDlqItems(), inv.totalJobCheckpoints(),
                    bytes);
        }
    }

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "30d",
            description = "Remove events older than this: 12h, 7d, 30d (default ${DEFAULT-VALUE}).")
    Duration olderThan;

    @Option(names = "--dry-run", description = "Only report what would be removed.")
    boolean dryRun;

    @Option(names = "--no-archive", negatable = false, description = "File backend: do not archive removed events,"
            + " even if backend_config.retention.archive is on.")
    boolean noArchive;

    @Override
    protected int execute(CliContext ctx) {
        if (olderThan.isZero() || olderThan.isNegative()) {
            throw new UsageException("--older-than must be positive, was " + Durations.format(olderThan));
        }
        String repository = ctx.repositoryGiven() ? ctx.repository() : null;
        Instant cutoff = ctx.now().minus(olderThan);
        Snapshot before = Snapshot.take(ctx, repository);
        Optional<FileStorage> file = FileBackendAccess.of(ctx.storage());
        Retention.Outcome outcome;
        if (file.isPresent() && repository == null) {
            outcome = Retention.file(file.get(), olderThan, !noArchive, dryRun);
        } else {
            try (Progress progress = ctx.progress(dryRun ? "cleanup (dry run) jobs" : "cleanup jobs", -1)) {
                outcome = Retention.spi(ctx.storage(), repository, cutoff, dryRun, progress);
            }
        }
        Snapshot after = dryRun ? null : Snapshot.take(ctx, repository);
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dry_run", dryRun);
            doc.put("older_than", Durations.format(olderThan));
            doc.put("cutoff", cutoff);
            doc.put("repository", repository);
            doc.put("method", outcome.method());
            doc.put("events_removed", outcome.removed());
            doc.put("events_archived", outcome.archived());
            doc.put("jobs", outcome.jobs());
            doc.put("before", before);
            doc.put("after", after);
            ctx.out().printJson(doc);
            return ExitCodes.OK;
        }
        print(ctx.out(), repository, cutoff, outcome, before, after);
        return ExitCodes.OK;
    }

    private void print(Output out, String repository, Instant cutoff, Retention.Outcome outcome, Snapshot before,
            Snapshot after) {
        out.line("%s events older than %s (before %s) in %s, by %s.", dryRun ? "Dry run: looking for" : "Removing",
                Durations.format(olderThan), Formats.time(cutoff),
                repository == null ? "all repositories" : "repository '" + repository + "'", outcome.method());
        if (outcome.jobs().isEmpty()) {
            out.line("No events are that old; nothing %s.", dryRun ? "would be removed" : "removed");
        } else {
            Table t = Table.of("REPOSITORY", "JOB", dryRun ? "WOULD REMOVE" : "REMOVED", "ARCHIVED").alignRight(2, 3);
            outcome.jobs().forEach(j -> t.row(j.repository(), j.jobId(), j.removed(), j.archived()));
            t.print(out.out());
        }
        out.blank();
        Table stats = Table.of("", "JOBS", "EVENTS", "DLQ ITEMS", "CHECKPOINTS", "BYTES").alignRight(1, 2, 3, 4, 5);
        row(stats, "before", before);
        if (after != null) {
            row(stats, "after", after);
        }
        stats.print(out.out());
        out.line("%s %s.", dryRun ? "Would remove" : "Removed", Formats.plural(outcome.removed(), "event", "events"));
    }

    private static void row(Table t, String label, Snapshot s) {
        t.row(label, s.jobs(), Formats.count(s.events()), s.dlqItems(), s.checkpoints(),
                s.bytes() == null ? "-" : Formats.bytes(s.bytes()));
    }
}
