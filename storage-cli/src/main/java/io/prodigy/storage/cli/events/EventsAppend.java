package io.prodigy.storage.cli.events;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code events append}: appends JSON Lines from a file or stdin to a job, durably, before it exits. Meant for
 * shell-based workflows: several such processes may append to one job at once (the store serializes appends and
 * assigns gap-free sequences). The whole input is validated first; then it is appended in atomic batches.
 */
@Command(name = "append", description = "Append events (JSON Lines) from FILE or stdin to a job; durable when the"
        + " command returns.", mixinStandardHelpOptions = true,
        footerHeading = "%nInput lines:%n",
        footer = {"  {\"event_type\": \"agent_completed\", \"data\": {...}, \"agent_id\": \"a1\",",
            "   \"correlation_id\": \"c1\", \"id\": \"uuid\", \"timestamp\": \"2026-11-21T10:00:00Z\"}",
            "  Only event_type is required; 'job' and 'sequence' (as written by",
            "  'events export') are ignored. Exactly one JSON object per line, UTF-8;",
            "  a bad line anywhere appends nothing (exit 2, naming the line).",
            "",
            "Large input:",
            "  Over 10,000 lines (or the store's smaller limit: Redis 1,000) are",
            "  appended in atomic batches of that size. Lines",
            "  without an id then get one derived from the input (its SHA-256 and",
            "  the line's position), so if the command is killed, running the same",
            "  input again appends only the batches that are missing.",
            "",
            "Examples:",
            "  echo '{\"event_type\":\"step_completed\",\"data\":{\"step\":3}}' \\",
            "    | prodigy-storage events append --job JOB",
            "  prodigy-storage events append --job JOB events.jsonl",
            "  prodigy-storage events export --job A | prodigy-storage events append --job B"})
final class EventsAppend extends StorageCommand {

    /** Events per append call at most; each call is all-or-nothing. A store with a lower limit gets smaller ones. */
    static final int BATCH = 10_000;

    @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job id (created if new).")
    String jobId;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "JSON Lines file; stdin when omitted or '-'.")
    Path file;

    @Override
    protected int execute(CliContext ctx) throws IOException {
        JobRef job = ctx.job(jobId);
        AppendInput.Input input = read(ctx);
        List<NewEvent> events = input.events();
        if (events.isEmpty()) {
            throw new UsageException("No events to append: the input (" + sourceName(ctx) + ") is empty.");
        }
        long first = 0;
        long last = 0;
        int appended = 0;
        int duplicates = 0;
        int start = 0;
        // The store's own limit when it is lower (Redis: 1,000), or the append would be refused outright.
        int batch = Math.min(BATCH, ctx.storage().limits().maxBatchSize());
        if (events.size() > batch) {
            // Several atomic batches: a killed run leaves a prefix. Reproducible ids let the store drop what is
            // already there, and the last batch of such a prefix is found among the job's newest events.
            events = input.withDerivedIds();
            start = storedPrefix(ctx, job, events, batch);
            duplicates = start;
        }
        for (int from = start; from < events.size(); from += batch) {
            AppendResult r = ctx.storage().events().append(job, events.subList(from, Math.min(events.size(),
                    from + batch)));
            if (first == 0 && r.appended() > 0) {
                first = r.firstSequence();
            }
            last = r.lastSequence();
            appended += r.appended();
            duplicates += r.duplicates();
        }
        if (ctx.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("job", job);
            result.put("appended", appended);
            result.put("duplicates", duplicates);
            result.put("first_sequence", first);
            result.put("last_sequence", last);
            ctx.out().printJson(result);
        } else {
            ctx.out().line("Appended %d event%s to %s (sequences %d..%d)%s.", appended, appended == 1 ? "" : "s",
                    job, first, last, duplicates > 0 ? "; " + duplicates + " already stored (same id) skipped" : "");
        }
        return ExitCodes.OK;
    }

    /**
     * How many of {@code events} (from the start) a killed earlier run of the same input already stored: one past
     * the furthest of them among the job's newest {@code batch} events. Batches are appended in order and each is
     * all or nothing, so everything before it is stored too.
     */
    private static int storedPrefix(CliContext ctx, JobRef job, List<NewEvent> events, int batch) {
        Map<String, Integer> position = new HashMap<>(events.size() * 2);
        for (int i = 0; i < events.size(); i++) {
            position.put(events.get(i).id(), i);
        }
        long lastSequence = ctx.storage().events().lastSequence(job);
        int furthest = -1;
        try (Stream<EventRecord> newest = ctx.storage().events().query(EventFilter.forJob(job)
                .withAfterSequence(Math.max(0, lastSequence - batch)))) {
            for (EventRecord e : (Iterable<EventRecord>) newest::iterator) {
                Integer at = position.get(e.id());
                if (at != null && at > furthest) {
                    furthest = at;
                }
            }
        }
        return furthest + 1;
    }

    private AppendInput.Input read(CliContext ctx) throws IOException {
        if (file == null || file.toString().equals("-")) {
            return AppendInput.read(ctx.environment().stdin(), "stdin");
        }
        Path path = ctx.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new UsageException("Input file '" + path + "' does not exist or is not a file.");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return AppendInput.read(in, path.toString());
        }
    }

    private String sourceName(CliContext ctx) {
        return file == null || file.toString().equals("-") ? "stdin" : ctx.resolve(file).toString();
    }
}
