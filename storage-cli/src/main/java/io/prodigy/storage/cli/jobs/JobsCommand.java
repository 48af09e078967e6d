package io.prodigy.storage.cli.jobs;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.GroupCommand;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.cli.paging.PageOptions;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.dashboard.view.JobSummary;
import io.prodigy.storage.dashboard.view.Listings;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.Page;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jobs list|delete}: the repositories and jobs in storage. */
@Command(name = "jobs", description = "List jobs across repositories; delete a repository's jobs.",
        mixinStandardHelpOptions = true, subcommands = {JobsCommand.ListJobs.class, JobsDelete.class},
        footerHeading = "%nExamples:%n", footer = {"  prodigy-storage jobs list",
            "  prodigy-storage jobs list --repo my-project", "  prodigy-storage jobs delete mapreduce-42"})
public final class JobsCommand extends GroupCommand {

    @Command(name = "list", description = "Repositories and jobs with status, event counts, DLQ depth and last"
            + " activity. All repositories unless --repo is given.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage jobs list", "  prodigy-storage --repo my-project jobs list",
                "  prodigy-storage --json jobs list", "  prodigy-storage jobs list --limit 50 --cursor CURSOR"})
    static final class ListJobs extends StorageCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N jobs (0 = all).")
        int limit;

        @Mixin
        PageOptions paging;

        @Override
        protected int execute(CliContext ctx) {
            String repository = ctx.repositoryGiven() ? ctx.repository() : null;
            Listings listings = new Listings(ctx.storage());
            // The jobs listing joins events, DLQ items and checkpoints; its cursor is "repository/job".
            PageOptions.Fetched<JobRef> fetched = paging.fetch(limit, page -> {
                var jobsPage = listings.jobs(repository, page.cursor(), page.limit());
                return new Page<>(jobsPage.items(), Optional.ofNullable(jobsPage.nextAfter()));
            });
            List<JobSummary> jobs = fetched.items().stream().map(j -> JobSummary.of(ctx.storage(), j)).toList();
            PageOptions.noteMore(ctx, fetched, "jobs");
            if (ctx.json()) {
                ctx.out().printJson(jobs);
                return ExitCodes.OK;
            }
            if (jobs.isEmpty()) {
                ctx.out().line(repository == null ? "No jobs stored. Run 'prodigy-storage demo' to create some."
                        : "No jobs stored in repository '" + repository + "'.");
                return ExitCodes.OK;
            }
            Table t = Table.of("REPOSITORY", "JOB", "STATUS", "EVENTS", "ERRORS", "DLQ", "CHECKPOINTS",
                    "LAST ACTIVITY").alignRight(3, 4, 5, 6);
            for (JobSummary j : jobs) {
                t.row(j.repository(), j.jobId(), j.status().label(), j.eventCount(), j.errorCount(), j.dlqDepth(),
                        j.checkpointCount(),
                        j.lastActivity() == null ? "-"
                                : Formats.time(j.lastActivity()) + " (" + Formats.age(j.lastActivity(), ctx.now()) + ")");
            }
            t.print(ctx.out().out());
            return ExitCodes.OK;
        }
    }
}
