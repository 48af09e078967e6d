package io.prodigy.storage.cli.dlq;

import io.prodigy.storage.cli.paging.PageOptions;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.GroupCommand;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.id.JobRef;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlq list|show|stats|remove|purge}: a job's dead-letter queue. */
@Command(name = "dlq", description = "Inspect and clean a job's dead-letter queue (failed work items).",
        mixinStandardHelpOptions = true,
        subcommands = {DlqCommand.ListItems.class, DlqCommand.ShowItem.class, DlqCommand.Stats.class,
            DlqCommand.RemoveItem.class, DlqPurge.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage dlq list --job JOB", "  prodigy-storage dlq show --job JOB ITEM",
            "  prodigy-storage dlq purge --job JOB --yes"})
public final class DlqCommand extends GroupCommand {

    /** The job option every DLQ command takes. */
    abstract static class JobCommand extends StorageCommand {
        @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job id.")
        String jobId;
    }

    @Command(name = "list", description = "List a job's failed items, oldest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = {"  prodigy-storage dlq list --job JOB",
                "  prodigy-storage dlq list --job JOB --min-retries 2", "  prodigy-storage --json dlq list --job JOB",
                "  prodigy-storage dlq list --job JOB --limit 50 --cursor CURSOR"})
    static final class ListItems extends JobCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Option(names = "--min-retries", paramLabel = "N", description = "Only items retried at least N times.")
        Integer minRetries;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N items (0 = all).")
        int limit;

        @Mixin
        PageOptions paging;

        @Override
        protected int execute(CliContext ctx) {
            JobRef job = ctx.existingJob(jobId);
            DlqFilter filter = DlqFilter.forJob(job).withRetryCountBetween(minRetries, null);
            PageOptions.Fetched<DlqItem> fetched = paging.fetch(limit, page -> ctx.storage().dlq().list(filter, page));
            List<DlqItem> items = fetched.items();
            PageOptions.noteMore(ctx, fetched, "items");
            if (ctx.json()) {
                ctx.out().printJson(items);
                return ExitCodes.OK;
            }
            if (items.isEmpty()) {
                ctx.out().line("The dead-letter queue of " + job + " is empty.");
                return ExitCodes.OK;
            }
            Table t = Table.of("ITEM", "FAILURES", "FIRST FAILED", "LAST FAILED", "CLAIMED", "LAST ERROR")
                    .alignRight(1);
            for (DlqItem i : items) {
                t.row(i.itemId(), i.failureHistory().size(), Formats.time(i.enqueuedAt()),
                        Formats.age(i.lastFailedAt(), ctx.now()),
                        i.isClaimedAt(ctx.now()) ? "by " + i.claim().worker() : "no", Formats.abbreviate(i.lastError(), 60));
            }
            t.print(ctx.out().out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one failed item with its work item and failure history.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage dlq show --job JOB item-17", "  prodigy-storage --json dlq show --job JOB item-17"})
    static final class ShowItem extends JobCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Parameters(paramLabel = "ITEM", description = "The item id.")
        String itemId;

        @Override
        protected int execute(CliContext ctx) {
            JobRef job = ctx.existingJob(jobId);
            DlqItem item = ctx.storage().dlq().get(job, CliContext.checkId("DLQ item id", itemId))
                    .orElseThrow(() -> missing(job, itemId));
            Output out = ctx.out();
            if (ctx.json()) {
                out.printJson(item);
                return ExitCodes.OK;
            }
            out.line("Item         %s (job %s)", item.itemId(), job);
            out.line("Failures     %d (retry count %d)", item.failureHistory().size(), item.retryCount());
            out.line("First failed %s", Formats.preciseTime(item.enqueuedAt()));
            out.line("Last failed  %s (%s)", Formats.preciseTime(item.lastFailedAt()),
                    Formats.age(item.lastFailedAt(), ctx.now()));
            out.line("Last error   %s", item.lastError());
            if (item.claim() != null) {
                out.line("Claim        %s by %s, expires %s%s", item.claim().token(), item.claim().worker(),
                        Formats.time(item.claim().expiresAt()), item.isClaimedAt(ctx.now()) ? "" : " (expired)");
            }
            for (Map.Entry<String, String> m : item.metadata().entrySet()) {
                out.line("Metadata     %s = %s", m.getKey(), m.getValue());
            }
            out.line("Work item    %s", item.workItem());
            out.line("History");
            int n = 1;
            for (FailureRecord f : item.failureHistory()) {
                out.line("  %d. %s  %s  %s%s", n++, Formats.preciseTime(f.at()), f.agentId() == null ? "-" : f.agentId(),
                        f.error(), f.details() == null || f.details().isNull() ? "" : "  " + f.details());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "stats", description = "Totals of a job's dead-letter queue.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage dlq stats --job JOB", "  prodigy-storage --json dlq stats --job JOB"})
    static final class Stats extends JobCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Override
        protected int execute(CliContext ctx) {
            JobRef job = ctx.existingJob(jobId);
            DlqStats s = ctx.storage().dlq().stats(job);
            Output out = ctx.out();
            if (ctx.json()) {
                out.printJson(s);
                return ExitCodes.OK;
            }
            out.line("Job              %s", job);
            out.line("Items            %d (%d claimed)", s.totalItems(), s.claimedItems());
            out.line("Oldest item      %s", Formats.time(s.oldestItem()));
            out.line("Newest item      %s", Formats.time(s.newestItem()));
            out.line("Average retries  %.2f", s.averageRetryCount());
            s.itemsByRetryCount().forEach((retries, count) ->
                    out.line("  %d item%s retried %d time%s", count, count == 1 ? "" : "s", retries,
                            retries == 1 ? "" : "s"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Remove one item from a job's dead-letter queue (for example after"
            + " fixing it by hand), even if it is claimed.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = {"  prodigy-storage dlq remove --job JOB item-17"})
    static final class RemoveItem extends JobCommand {

        @Parameters(paramLabel = "ITEM", description = "The item id.")
        String itemId;

        @Override
        protected int execute(CliContext ctx) {
            JobRef job = ctx.existingJob(jobId);
            boolean removed = ctx.storage().dlq().remove(job, CliContext.checkId("DLQ item id", itemId), null);
            if (!removed) {
                throw missing(job, itemId);
            }
            if (ctx.json()) {
                ctx.out().printJson(Map.of("job", job, "item_id", itemId, "removed", true));
            } else {
                ctx.out().line("Removed item %s from the dead-letter queue of %s.", itemId, job);
            }
            return ExitCodes.OK;
        }
    }

    static CommandFailedException missing(JobRef job, String itemId) {
        return new CommandFailedException("DLQ item '" + itemId + "' does not exist in job " + job
                + ". Run 'prodigy-storage dlq list --job " + job.jobId() + "' to see its items.");
    }
}
