package io.prodigy.storage.cli.events;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code events export}: the whole log as JSON Lines on stdout, streaming. Each line is a stored event ({@code job},
 * {@code sequence}, {@code id}, {@code timestamp}, {@code event_type}, {@code data}, {@code correlation_id},
 * {@code agent_id}); {@code events append} accepts the lines back.
 */
@Command(name = "export", description = "Write a job's events to stdout as JSON Lines (streaming).",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage events export --job JOB > JOB.jsonl",
            "  prodigy-storage events export --job JOB \\",
            "    | jq -c 'select(.event_type == \"agent_failed\")'",
            "  prodigy-storage events export --job A | prodigy-storage events append --job B"})
final class EventsExport extends StorageCommand {
    @Override
    protected boolean readsOnly() {
        return true;
    }


    @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Override
    protected int execute(CliContext ctx) {
        JobRef job = ctx.existingJob(jobId);
        long total = ctx.storage().events().lastSequence(job);
        PrintWriter out = ctx.out().out();
        long n = 0;
        try (Progress progress = ctx.progress("export " + job, total);
                Stream<EventRecord> events = ctx.storage().events().query(EventFilter.forJob(job))) {
            Iterator<EventRecord> it = events.iterator();
            while (it.hasNext()) {
                JsonStreams.writeLine(it.next(), out);
                n++;
                progress.step();
            }
            progress.maxHint(n);
        }
        out.flush();
        if (out.checkError()) {
            ctx.out().note("error: writing to stdout failed after " + n + " events (closed pipe?)");
            return ExitCodes.FAILED;
        }
        ctx.out().note("Exported " + n + " events of " + job + ".");
        return ExitCodes.OK;
    }
}
