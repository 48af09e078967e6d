package io.prodigy.storage.cli.events;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events list}: a job's events in sequence order, filtered. Streams: memory stays flat for any job size. */
@Command(name = "list", description = "List a job's events in order, with filters.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage events list --job JOB",
            "  prodigy-storage events list --job JOB --type agent_failed --type agent_retrying",
            "  prodigy-storage events list --job JOB --agent agent-2 --since 15m",
            "  prodigy-storage events list --job JOB \\",
            "      --since 2026-11-21T10:00:00Z --until 2026-11-21T11:00:00Z",
            "  prodigy-storage --json events list --job JOB --limit 0"})
final class EventsList extends StorageCommand {
    @Override
    protected boolean readsOnly() {
        return true;
    }


    @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only this event type (repeatable).")
    List<String> types = List.of();

    @Option(names = "--agent", paramLabel = "AGENT", description = "Only events of this agent.")
    String agent;

    @Option(names = "--correlation", paramLabel = "ID", description = "Only events with this correlation id.")
    String correlation;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only events after TIME: ISO-8601 (2026-11-21T10:00:00Z), a date, or an age (15m, 2h, 7d).")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only events before TIME (same forms as --since).")
    Instant until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "At most N events (0 = all; default ${DEFAULT-VALUE}).")
    long limit;

    @Override
    protected int execute(CliContext ctx) {
        if (limit < 0) {
            throw new UsageException("--limit must not be negative, was " + limit);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new UsageException("--since (" + since + ") must be before --until (" + until + ")");
        }
        JobRef job = ctx.existingJob(jobId);
        EventFilter filter = EventFilter.forJob(job).withEventTypes(Set.copyOf(types)).withAgentId(agent)
                .withCorrelationId(correlation).withAfter(since).withBefore(until).withLimit(limit);
        try (Stream<EventRecord> events = ctx.storage().events().query(filter)) {
            Iterator<EventRecord> it = events.iterator();
            if (ctx.json()) {
                JsonStreams.writeArray(it, ctx.out().out());
                return ExitCodes.OK;
            }
            long n = 0;
            while (it.hasNext()) {
                if (n == 0) {
                    ctx.out().line(EventText.header());
                }
                ctx.out().line(EventText.line(it.next()));
                n++;
            }
            if (n == 0) {
                ctx.out().line("No events of job " + job + " match.");
            } else if (limit > 0 && n == limit) {
                ctx.out().note("(showing the first " + limit + " matching events; use --limit 0 for all)");
            }
        }
        return ExitCodes.OK;
    }
}
