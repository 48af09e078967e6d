package io.prodigy.storage.cli.dlq;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.output.Confirmation;
import io.prodigy.storage.id.JobRef;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dlq purge}: removes every item of a job's queue. Asks first when a person is at a terminal. */
@Command(name = "purge", description = "Remove every item of a job's dead-letter queue. Asks for confirmation on a"
        + " terminal unless --yes is given.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage dlq purge --job JOB", "  prodigy-storage dlq purge --job JOB --yes"})
final class DlqPurge extends DlqCommand.JobCommand {

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    protected int execute(CliContext ctx) {
        JobRef job = ctx.existingJob(jobId);
        long depth = ctx.storage().dlq().stats(job).totalItems();
        if (depth == 0) {
            report(ctx, job, 0, "The dead-letter queue of " + job + " is already empty.");
            return ExitCodes.OK;
        }
        if (!yes && !Confirmation.ask(ctx, "Remove all " + depth + " items from the dead-letter queue of " + job
                + "? This cannot be undone.")) {
            ctx.out().note("Nothing removed.");
            return ExitCodes.FAILED;
        }
        long removed = ctx.storage().dlq().purge(job);
        report(ctx, job, removed, "Removed " + removed + " item" + (removed == 1 ? "" : "s")
                + " from the dead-letter queue of " + job + ".");
        return ExitCodes.OK;
    }

    private static void report(CliContext ctx, JobRef job, long removed, String text) {
        if (ctx.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("job", job);
            result.put("removed", removed);
            ctx.out().printJson(result);
        } else {
            ctx.out().line(text);
        }
    }
}
