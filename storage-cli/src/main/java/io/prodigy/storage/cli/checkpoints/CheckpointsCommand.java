package io.prodigy.storage.cli.checkpoints;

import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.cli.paging.PageOptions;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.GroupCommand;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.Ids;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code checkpoints list|show|prune|delete}: workflow and MapReduce job checkpoints. */
@Command(name = "checkpoints", description = "List, show, prune and delete workflow and MapReduce job checkpoints.",
        mixinStandardHelpOptions = true,
        subcommands = {CheckpointsCommand.ListCheckpoints.class, CheckpointShow.class, CheckpointPrune.class,
            CheckpointDelete.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage checkpoints list --job JOB", "  prodigy-storage checkpoints show CHECKPOINT_ID",
            "  prodigy-storage checkpoints prune --keep 3 --job JOB"})
public final class CheckpointsCommand extends GroupCommand {

    /** {@code --job J} or {@code --workflow W}: at most one. */
    static final class ScopeOptions {
        @Option(names = "--job", paramLabel = "JOB", description = "Checkpoints of this job (in --repo).")
        String jobId;

        @Option(names = "--workflow", paramLabel = "WORKFLOW", description = "Checkpoints of this workflow.")
        String workflowId;

        CheckpointScope scope(CliContext ctx) {
            return jobId != null ? CheckpointScope.job(ctx.job(jobId))
                    : CheckpointScope.workflow(CliContext.checkId("workflow id", workflowId));
        }
    }

    @Command(name = "list", description = "List checkpoints, oldest first: of a job, of a workflow, or all (of --repo"
            + " when given).", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage checkpoints list", "  prodigy-storage checkpoints list --job JOB",
                "  prodigy-storage checkpoints list --workflow WORKFLOW", "  prodigy-storage --json checkpoints list",
                "  prodigy-storage checkpoints list --limit 100 --cursor CURSOR"})
    static final class ListCheckpoints extends StorageCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @ArgGroup(exclusive = true)
        ScopeOptions scope;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N checkpoints (0 = all).")
        int limit;

        @Mixin
        PageOptions paging;

        @Override
        protected int execute(CliContext ctx) {
            CheckpointFilter filter;
            if (scope != null) {
                if (scope.jobId != null) {
                    ctx.existingJob(scope.jobId);
                }
                filter = CheckpointFilter.forScope(scope.scope(ctx));
            } else if (ctx.repositoryGiven()) {
                filter = new CheckpointFilter(null, ctx.repository(), null, null, null, 0);
            } else {
                filter = CheckpointFilter.ALL;
            }
            CheckpointFilter chosen = filter;
            PageOptions.Fetched<CheckpointInfo> fetched = paging.fetch(limit,
                    page -> ctx.storage().checkpoints().list(chosen, page));
            List<CheckpointInfo> list = fetched.items();
            PageOptions.noteMore(ctx, fetched, "checkpoints");
            if (ctx.json()) {
                ctx.out().printJson(list);
                return ExitCodes.OK;
            }
            if (list.isEmpty()) {
                ctx.out().line("No checkpoints stored" + (scope == null ? "." : " for " + scope.scope(ctx) + "."));
                return ExitCodes.OK;
            }
            print(ctx, list);
            return ExitCodes.OK;
        }
    }

    static void print(CliContext ctx, List<CheckpointInfo> list) {
        Table t = Table.of("ID", "SCOPE", "KIND", "CREATED", "STEP", "SIZE").alignRight(4, 5);
        for (CheckpointInfo c : list) {
            t.row(c.id(), c.scope(), c.kind(), Formats.preciseTime(c.createdAt()), c.stepIndex(),
                    Formats.bytes(c.sizeBytes()));
        }
        t.print(ctx.out().out());
    }
}
