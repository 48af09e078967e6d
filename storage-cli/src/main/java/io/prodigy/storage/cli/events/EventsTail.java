package io.prodigy.storage.cli.events;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.id.JobRef;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code events tail}: the last events of a job, and with {@code --follow} every new one as it is written, by this or
 * any other process. Following uses the storage's subscription (re-reads the log, woken by the backend's change
 * hints), so no event is skipped even if a hint is lost.
 */
@Command(name = "tail", description = "Show a job's last events; with --follow, keep printing new ones as they are"
        + " written (also by other processes) until interrupted.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage events tail --job JOB", "  prodigy-storage events tail --job JOB -n 50",
            "  prodigy-storage events tail --job JOB --follow",
            "  prodigy-storage --json events tail --job JOB --follow --for 10m",
            "      (JSON Lines; stops after 10 minutes)"})
final class EventsTail extends StorageCommand {

    @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
            description = "How many of the last events to show first (default ${DEFAULT-VALUE}).")
    long lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "With --follow: stop after this long (for scripts), for example 30s or 10m.")
    Duration followFor;

    @Option(names = "--max-events", paramLabel = "N",
            description = "With --follow: stop once N events have been printed in all (the first ones included).")
    long maxEvents;

    @Override
    protected int execute(CliContext ctx) throws InterruptedException {
        if (lines < 0 || maxEvents < 0) {
            throw new UsageException("-n and --max-events must not be negative");
        }
        if (!follow && (followFor != null || maxEvents > 0)) {
            throw new UsageException("--for and --max-events only make sense with --follow");
        }
        // Following a job that has nothing yet is fine: it may be about to start.
        JobRef job = follow ? ctx.job(jobId) : ctx.existingJob(jobId);
        EventStorage events = ctx.storage().events();
        long last = events.lastSequence(job);
        long start = Math.max(0, last - lines);
        PrintWriter out = ctx.out().out();
        Printer printer = new Printer(out, ctx.json() && follow, ctx.json());
        try (Stream<EventRecord> tail = events.query(EventFilter.forJob(job).withAfterSequence(start))) {
            Iterator<EventRecord> it = tail.iterator();
            if (ctx.json() && !follow) {
                JsonStreams.writeArray(it, out);
                return ExitCodes.OK;
            }
            while (it.hasNext()) {
                EventRecord e = it.next();
                printer.print(e);
                last = Math.max(last, e.sequence());
            }
        }
        if (!follow || (maxEvents > 0 && printer.printed() >= maxEvents)) {
            return ExitCodes.OK;
        }
        if (!ctx.json()) {
            ctx.out().note("Following " + job + " after sequence " + last + " (Ctrl-C to stop)...");
        }
        return followFrom(events, job, last, printer);
    }

    private int followFrom(EventStorage events, JobRef job, long after, Printer printer) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread stopOnInterrupt = new Thread(done::countDown, "prodigy-storage-tail-stop");
        Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
        try (EventSubscription subscription = events.subscribe(EventFilter.forJob(job), after, e -> {
            printer.print(e);
            if (maxEvents > 0 && printer.printed() >= maxEvents) {
                done.countDown();
            }
        })) {
            if (followFor != null) {
                done.await(followFor.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                while (!done.await(1, TimeUnit.SECONDS)) {
                    if (!subscription.isActive()) {
                        throw new io.prodigy.storage.cli.CommandFailedException("The subscription to " + job
                                + " stopped unexpectedly; run with --verbose to see why, then start tail again.");
                    }
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: the hook has run, nothing to undo
            }
        }
        return ExitCodes.OK;
    }

    /** Prints events as text lines, or as JSON Lines when following with {@code --json}; one thread at a time. */
    private static final class Printer {
        private final PrintWriter out;
        private final boolean jsonLines;
        private boolean headerDone;
        private long printed;

        Printer(PrintWriter out, boolean jsonLines, boolean json) {
            this.out = out;
            this.jsonLines = jsonLines;
            this.headerDone = json;
        }

        synchronized void print(EventRecord e) {
            if (jsonLines) {
                JsonStreams.writeLine(e, out);
            } else {
                if (!headerDone) {
                    out.println(EventText.header());
                    headerDone = true;
                }
                out.println(EventText.line(e));
            }
            out.flush();
            printed++;
        }

        synchronized long printed() {
            return printed;
        }
    }
}
