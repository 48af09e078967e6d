package io.prodigy.storage.cli.events;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.event.EventOutcome;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events stats}: spec 093's EventStats of one job. */
@Command(name = "stats", description = "Totals of a job's events: by outcome and by type, first and last event.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage events stats --job JOB", "  prodigy-storage --json events stats --job JOB"})
final class EventsStats extends StorageCommand {
    @Override
    protected boolean readsOnly() {
        return true;
    }


    @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Override
    protected int execute(CliContext ctx) {
        JobRef job = ctx.existingJob(jobId);
        EventStats stats = ctx.storage().events().aggregate(job);
        Output out = ctx.out();
        if (ctx.json()) {
            out.printJson(stats);
            return ExitCodes.OK;
        }
        out.line("Job            %s", job);
        out.line("Events         %s (sequences 1..%d)", Formats.count(stats.totalEvents()), stats.lastSequence());
        out.line("Outcomes       %s success, %s error, %s pending, %s other", Formats.count(stats.successCount()),
                Formats.count(stats.errorCount()), Formats.count(stats.pendingCount()),
                Formats.count(stats.totalEvents() - stats.successCount() - stats.errorCount()
                        - stats.pendingCount()));
        out.line("First event    %s", Formats.preciseTime(stats.firstEvent()));
        out.line("Last event     %s (%s)", Formats.preciseTime(stats.lastEvent()),
                Formats.age(stats.lastEvent(), ctx.now()));
        if (stats.firstEvent() != null) {
            out.line("Span           %s", Formats.duration(Duration.between(stats.firstEvent(), stats.lastEvent())));
        }
        out.blank();
        Table t = Table.of("TYPE", "COUNT", "OUTCOME").alignRight(1);
        stats.countsByType().forEach((type, n) -> t.row(type, Formats.count(n),
                EventOutcome.of(type).name().toLowerCase(java.util.Locale.ROOT)));
        t.print(out.out());
        return ExitCodes.OK;
    }
}
