package io.prodigy.storage.cli.checkpoints;

import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.cli.output.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code checkpoints prune --keep N}: keeps the newest N checkpoints of each job or workflow (of one with
 * {@code --job}/{@code --workflow}; of every one in {@code --repo} when given; else of every one stored).
 */
@Command(name = "prune", description = "Delete all but the newest N checkpoints of each job or workflow.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage checkpoints prune --keep 3 --job JOB",
            "  prodigy-storage checkpoints prune --keep 1 --dry-run", "  prodigy-storage checkpoints prune --keep 5"})
final class CheckpointPrune extends StorageCommand {

    /** One scope's outcome; JSON as {@code {scope, before, deleted, kept}}. */
    record Pruned(String scope, int before, int deleted, int kept) {}

    @Option(names = "--keep", required = true, paramLabel = "N", description = "How many of the newest to keep.")
    int keep;

    @ArgGroup(exclusive = true)
    CheckpointsCommand.ScopeOptions scope;

    @Option(names = "--dry-run", description = "Only show what would be deleted.")
    boolean dryRun;

    @Override
    protected int execute(CliContext ctx) {
        if (keep < 0) {
            throw new UsageException("--keep must not be negative, was " + keep);
        }
        if (scope != null && scope.jobId != null) {
            ctx.existingJob(scope.jobId);
        }
        CheckpointFilter filter = scope != null ? CheckpointFilter.forScope(scope.scope(ctx))
                : ctx.repositoryGiven() ? new CheckpointFilter(null, ctx.repository(), null, null, null, 0)
                : CheckpointFilter.ALL;
        Map<CheckpointScope, Integer> counts = new LinkedHashMap<>();
        for (CheckpointInfo c : ctx.storage().checkpoints().list(filter)) {
            counts.merge(c.scope(), 1, Integer::sum);
        }
        List<Pruned> results = new ArrayList<>();
        for (Map.Entry<CheckpointScope, Integer> e : counts.entrySet()) {
            int before = e.getValue();
            int deleted = dryRun ? Math.max(0, before - keep) : ctx.storage().checkpoints().prune(e.getKey(), keep);
            results.add(new Pruned(e.getKey().toString(), before, deleted, before - deleted));
        }
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dry_run", dryRun);
            doc.put("keep", keep);
            doc.put("deleted", results.stream().mapToInt(Pruned::deleted).sum());
            doc.put("scopes", results);
            ctx.out().printJson(doc);
            return ExitCodes.OK;
        }
        if (results.isEmpty()) {
            ctx.out().line("No checkpoints stored; nothing to prune.");
            return ExitCodes.OK;
        }
        Table t = Table.of("SCOPE", "BEFORE", dryRun ? "WOULD DELETE" : "DELETED", "KEPT").alignRight(1, 2, 3);
        results.forEach(r -> t.row(r.scope(), r.before(), r.deleted(), r.kept()));
        t.print(ctx.out().out());
        int total = results.stream().mapToInt(Pruned::deleted).sum();
        ctx.out().line("%s %d checkpoint%s, keeping the newest %d of each.", dryRun ? "Would delete" : "Deleted", total,
                total == 1 ? "" : "s", keep);
        return ExitCodes.OK;
    }
}
