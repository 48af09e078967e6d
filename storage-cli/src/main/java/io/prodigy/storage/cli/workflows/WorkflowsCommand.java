package io.prodigy.storage.cli.workflows;

import io.prodigy.storage.cli.paging.PageOptions;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.GroupCommand;
import io.prodigy.storage.cli.LiveWork;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Confirmation;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workflows list|show|delete}: the stored workflow definitions and their executions. */
@Command(name = "workflows", description = "List, show and delete workflow definitions (with their executions).",
        mixinStandardHelpOptions = true,
        subcommands = {WorkflowsCommand.ListWorkflows.class, WorkflowsCommand.ShowWorkflow.class,
            WorkflowsCommand.DeleteWorkflow.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage workflows list", "  prodigy-storage workflows show WORKFLOW",
            "  prodigy-storage workflows delete WORKFLOW --yes"})
public final class WorkflowsCommand extends GroupCommand {

    @Command(name = "list", description = "List workflow definitions, oldest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage workflows list", "  prodigy-storage --json workflows list --name build",
                "  prodigy-storage workflows list --limit 20 --cursor CURSOR"})
    static final class ListWorkflows extends StorageCommand {

        @Option(names = "--name", paramLabel = "NAME", description = "Only workflows with this name.")
        String name;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "At most N workflows (0 = all; default ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        PageOptions paging;

        @Override
        protected int execute(CliContext ctx) {
            WorkflowFilter filter = WorkflowFilter.ALL.withName(name);
            PageOptions.Fetched<WorkflowInfo> fetched = paging.fetch(limit,
                    page -> ctx.storage().workflows().list(filter, page));
            List<WorkflowInfo> shown = fetched.items();
            Output out = ctx.out();
            PageOptions.noteMore(ctx, fetched, "workflows");
            if (ctx.json()) {
                out.printJson(shown);
                return ExitCodes.OK;
            }
            if (shown.isEmpty()) {
                out.line("No workflows stored.");
                return ExitCodes.OK;
            }
            Table t = Table.of("ID", "NAME", "VERSION", "CREATED", "UPDATED", "EXECUTIONS").alignRight(5);
            shown.forEach(w -> t.row(w.id(), w.name(), w.version(), Formats.time(w.createdAt()),
                    Formats.age(w.updatedAt(), ctx.now()), w.executionCount()));
            t.print(out.out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one workflow definition and its latest executions.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage workflows show WORKFLOW", "  prodigy-storage --json workflows show WORKFLOW"})
    static final class ShowWorkflow extends StorageCommand {

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        String id;

        @Override
        protected int execute(CliContext ctx) throws Exception {
            WorkflowDefinition w = load(ctx, id);
            List<WorkflowExecution> executions = ctx.storage().workflows().listExecutions(id, 0);
            Output out = ctx.out();
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("workflow", w);
                doc.put("executions", executions);
                out.printJson(doc);
                return ExitCodes.OK;
            }
            out.line("Workflow     %s", w.id());
            out.line("Name         %s (version %s)", w.name(), w.version());
            out.line("Created      %s", Formats.time(w.createdAt()));
            out.line("Updated      %s (%s)", Formats.time(w.updatedAt()), Formats.age(w.updatedAt(), ctx.now()));
            out.line("Revision     %d", w.revision());
            out.line("Executions   %d", executions.size());
            executions.forEach(e -> out.line("  %s  %s  started %s", e.id(), e.status(), Formats.time(e.startedAt())));
            out.line("Content");
            out.line(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(w.content()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a workflow definition and its executions. Refuses while an"
            + " execution is running or a live lock names the workflow, unless --force.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage workflows delete WORKFLOW",
                "  prodigy-storage workflows delete WORKFLOW --yes"})
    static final class DeleteWorkflow extends StorageCommand {

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        String id;

        @Option(names = "--yes", description = "Do not ask for confirmation at a terminal.")
        boolean yes;

        @Option(names = "--force", description = "Delete even while an execution is running or a live lock names the"
                + " workflow (its lease is broken).")
        boolean force;

        @Override
        protected int execute(CliContext ctx) {
            load(ctx, id);
            long running = ctx.storage().workflows().listExecutions(id, 0).stream()
                    .filter(e -> e.status() == ExecutionStatus.RUNNING).count();
            if (running > 0 && !force) {
                throw new CommandFailedException("Refusing to delete workflow '" + id + "': "
                        + Formats.plural(running, "execution is", "executions are") + " still RUNNING. Nothing was"
                        + " deleted. If they are not, run again with --force.");
            }
            LiveWork.checkOrBreak(ctx, "workflow '" + id + "'", id, force);
            if (!yes && !Confirmation.ask(ctx, "Delete workflow '" + id + "' and its executions? This cannot be"
                    + " undone.")) {
                ctx.out().note("Nothing deleted.");
                return ExitCodes.FAILED;
            }
            boolean deleted = ctx.storage().workflows().delete(id);
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("id", id);
                doc.put("deleted", deleted);
                ctx.out().printJson(doc);
            } else {
                ctx.out().line(deleted ? "Deleted workflow '" + id + "' and its executions."
                        : "Workflow '" + id + "' was deleted meanwhile; nothing to do.");
            }
            return ExitCodes.OK;
        }
    }

    static WorkflowDefinition load(CliContext ctx, String id) {
        CliContext.checkId("workflow id", id);
        return ctx.storage().workflows().load(id).orElseThrow(() -> new CommandFailedException("Workflow '" + id
                + "' does not exist. Run 'prodigy-storage workflows list' to see the stored workflows."));
    }
}
