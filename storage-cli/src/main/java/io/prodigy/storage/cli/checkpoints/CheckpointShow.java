package io.prodigy.storage.cli.checkpoints;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code checkpoints show ID}: one checkpoint with its state. Ids are unique within a job or workflow; without
 * {@code --job}/{@code --workflow} the id is looked up everywhere and must be unambiguous.
 */
@Command(name = "show", description = "Show one checkpoint with its state.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage checkpoints show map-0003", "  prodigy-storage checkpoints show map-0003 --job JOB",
            "  prodigy-storage --json checkpoints show map-0003 --job JOB"})
final class CheckpointShow extends StorageCommand {
    @Override
    protected boolean readsOnly() {
        return true;
    }


    @Parameters(paramLabel = "ID", description = "The checkpoint id.")
    String id;

    @ArgGroup(exclusive = true)
    CheckpointsCommand.ScopeOptions scope;

    @Override
    protected int execute(CliContext ctx) throws Exception {
        CliContext.checkId("checkpoint id", id);
        CheckpointScope where = scope != null ? scope.scope(ctx) : find(ctx, id);
        Checkpoint c = ctx.storage().checkpoints().load(where, id).orElseThrow(() -> new CommandFailedException(
                "Checkpoint '" + id + "' does not exist for " + where + ". Run 'prodigy-storage checkpoints list' to"
                        + " see the stored checkpoints."));
        Output out = ctx.out();
        if (ctx.json()) {
            out.printJson(c);
            return ExitCodes.OK;
        }
        out.line("Checkpoint   %s", c.id());
        out.line("Scope        %s", c.scope());
        out.line("Kind         %s (format version %d)", c.kind(), c.formatVersion());
        out.line("Created      %s (%s)", Formats.preciseTime(c.createdAt()), Formats.age(c.createdAt(), ctx.now()));
        out.line("Step index   %d", c.stepIndex());
        if (!c.completedSteps().isEmpty()) {
            out.line("Completed    %s", c.completedSteps());
        }
        c.variables().forEach((k, v) -> out.line("Variable     %s = %s", k, v));
        out.line("Revision     %d", c.revision());
        out.line("State");
        out.line(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(c.state()));
        return ExitCodes.OK;
    }

    /** The one scope that holds a checkpoint {@code id}. */
    static CheckpointScope find(CliContext ctx, String id) {
        List<CheckpointScope> scopes = ctx.storage().checkpoints().list(CheckpointFilter.ALL).stream()
                .filter(c -> c.id().equals(id)).map(CheckpointInfo::scope).distinct().toList();
        if (scopes.isEmpty()) {
            throw new CommandFailedException("Checkpoint '" + id + "' does not exist. Run 'prodigy-storage checkpoints"
                    + " list' to see the stored checkpoints.");
        }
        if (scopes.size() > 1) {
            throw new CommandFailedException("Checkpoint id '" + id + "' exists in " + scopes.size() + " places ("
                    + scopes.stream().map(Object::toString).toList() + "); pass --job or --workflow to choose.");
        }
        return scopes.get(0);
    }
}
