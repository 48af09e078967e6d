package io.prodigy.storage.cli.checkpoints;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.LiveWork;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Confirmation;
import io.prodigy.storage.id.Ids;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code checkpoints delete ID}: removes one checkpoint. A job that is running resumes from its checkpoints, so the
 * command refuses while a live lock names the job or workflow, unless {@code --force} (see {@link LiveWork}).
 */
@Command(name = "delete", description = "Delete one checkpoint. Refuses while a live lock names its job or workflow,"
        + " unless --force.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage checkpoints delete map-0003 --job JOB",
            "  prodigy-storage checkpoints delete wf-1-step-2 --workflow wf-1 --yes"})
final class CheckpointDelete extends StorageCommand {

    @Parameters(paramLabel = "ID", description = "The checkpoint id.")
    String id;

    @ArgGroup(exclusive = true)
    CheckpointsCommand.ScopeOptions scope;

    @Option(names = "--yes", description = "Do not ask for confirmation at a terminal.")
    boolean yes;

    @Option(names = "--force", description = "Delete even while a live lock names the job or workflow (its lease is"
            + " broken).")
    boolean force;

    @Override
    protected int execute(CliContext ctx) {
        CliContext.checkId("checkpoint id", id);
        CheckpointScope where = scope != null ? scope.scope(ctx) : CheckpointShow.find(ctx, id);
        if (ctx.storage().checkpoints().load(where, id).isEmpty()) {
            throw new CommandFailedException("Checkpoint '" + id + "' does not exist for " + where + ". Run"
                    + " 'prodigy-storage checkpoints list' to see the stored checkpoints.");
        }
        String owner = where.isJob() ? where.job().jobId() : where.workflowId();
        LiveWork.checkOrBreak(ctx, "checkpoint '" + id + "' of " + where, owner, force);
        if (!yes && !Confirmation.ask(ctx, "Delete checkpoint '" + id + "' of " + where + "? This cannot be undone.")) {
            ctx.out().note("Nothing deleted.");
            return ExitCodes.FAILED;
        }
        boolean deleted = ctx.storage().checkpoints().delete(where, id);
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("scope", where.toString());
            doc.put("deleted", deleted);
            ctx.out().printJson(doc);
        } else {
            ctx.out().line(deleted ? "Deleted checkpoint '" + id + "' of " + where + "."
                    : "Checkpoint '" + id + "' was deleted meanwhile; nothing to do.");
        }
        return ExitCodes.OK;
    }
}
