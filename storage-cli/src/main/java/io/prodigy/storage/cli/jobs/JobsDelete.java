package io.prodigy.storage.cli.jobs;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.LiveWork;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.cli.output.Confirmation;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.JobRef;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jobs delete}: removes jobs' event logs, DLQ items and checkpoints (for example the records a legacy
 * migration imported, when rolling it back: docs/migration.md). A job that a live lock names is refused unless
 * {@code --force} ({@link LiveWork}).
 */
@Command(name = "delete", description = "Delete jobs of the repository (--repo or the current one): their event logs,"
        + " DLQ items and checkpoints. Refuses a job that a live lock names, unless --force.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage jobs delete mapreduce-42",
            "  prodigy-storage --repo my-project jobs delete --all --yes"})
final class JobsDelete extends StorageCommand {

    @Parameters(arity = "0..*", paramLabel = "JOB", description = "The job ids.")
    List<String> jobIds = new ArrayList<>();

    @Option(names = "--all", description = "Every job of the repository.")
    boolean all;

    @Option(names = "--yes", description = "Do not ask for confirmation at a terminal.")
    boolean yes;

    @Option(names = "--force", description = "Delete jobs that a live lock names too (its lease is broken).")
    boolean force;

    @Override
    protected int execute(CliContext ctx) {
        if (all == !jobIds.isEmpty()) {
            throw new UsageException("Name the jobs to delete, or pass --all for every job of the repository (not"
                    + " both).");
        }
        List<JobRef> jobs = all ? stored(ctx) : jobIds.stream().map(ctx::existingJob).toList();
        if (jobs.isEmpty()) {
            ctx.out().line("No jobs stored in repository '" + ctx.repository() + "'; nothing deleted.");
            return ExitCodes.OK;
        }
        jobs.forEach(j -> LiveWork.checkOrBreak(ctx, "job " + j, j.jobId(), force));
        if (!yes && !Confirmation.ask(ctx, "Delete " + Formats.plural(jobs.size(), "job", "jobs") + " of repository '"
                + ctx.repository() + "' with their events, DLQ items and checkpoints? This cannot be undone.")) {
            ctx.out().note("Nothing deleted.");
            return ExitCodes.FAILED;
        }
        List<JobData.Removed> removed = jobs.stream().map(j -> JobData.delete(ctx.storage(), j)).toList();
        if (ctx.json()) {
            ctx.out().printJson(java.util.Map.of("deleted", removed));
        } else {
            removed.forEach(r -> ctx.out().line("Deleted " + r.job() + ": " + Formats.plural(r.events(), "event",
                    "events") + ", " + Formats.plural(r.dlqItems(), "DLQ item", "DLQ items") + ", "
                    + Formats.plural(r.checkpoints(), "checkpoint", "checkpoints") + "."));
        }
        return ExitCodes.OK;
    }

    /** Every job of the repository with events, DLQ items or checkpoints. */
    private static List<JobRef> stored(CliContext ctx) {
        String repository = ctx.repository();
        TreeSet<JobRef> jobs = new TreeSet<>(ctx.storage().events().listJobs(repository));
        jobs.addAll(ctx.storage().dlq().listJobs(repository));
        ctx.storage().checkpoints().list(new io.prodigy.storage.checkpoint.CheckpointFilter(null, repository, null,
                null, null, 0)).stream().filter(c -> c.scope().isJob()).forEach(c -> jobs.add(c.scope().job()));
        return List.copyOf(jobs);
    }
}
