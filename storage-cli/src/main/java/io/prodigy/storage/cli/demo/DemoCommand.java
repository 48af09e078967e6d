package io.prodigy.storage.cli.demo;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.GlobalOptions;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.core.config.url.StorageUrl;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.JobRef;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the project's main job. Runs a realistic simulated MapReduce workload (a word count over a synthetic
 * corpus) on the configured backend, exercising every store: sessions, workflow definitions and executions, events
 * written concurrently by several agents, the dead-letter queue with failure histories and claims, setup/map/reduce
 * checkpoints, and a lock with fencing around the reduce. The first job's coordinator crashes part-way through the
 * map phase and resumes from what storage holds, without redoing finished items. Jobs stay in storage, so running the
 * demo again shows the earlier ones too.
 */
@Command(name = "demo", description = "Run a simulated MapReduce workload end to end on the configured storage"
        + " (default: the file store in ~/.prodigy), with a crash and resume, then show what it stored.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage demo", "  prodigy-storage demo --jobs 3 --items 100 --agents 8 --fail-rate 0.2",
            "  prodigy-storage --storage-dir /tmp/prodigy-demo demo", "  prodigy-storage --backend memory demo",
            "  prodigy-storage --json demo --seed 42", "  prodigy-storage demo --clean   # remove what demo runs stored"})
public final class DemoCommand extends StorageCommand {

    static final String JOB_PREFIX = "demo-";

    /** Set by bin/prodigy-storage to how it was invoked, so the suggested commands can be pasted as they are. */
    static final String LAUNCHER_VARIABLE = "PRODIGY_STORAGE_COMMAND";

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2", description = "MapReduce jobs to run (default"
            + " ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--items", paramLabel = "N", defaultValue = "40", description = "Work items per job (default"
            + " ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "4", description = "Concurrent agents per job"
            + " (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--fail-rate", paramLabel = "F", defaultValue = "0.15", description = "Share of items that fail"
            + " at least once, 0 to 1 (default ${DEFAULT-VALUE}).")
    double failRate;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for reproducible failures (default: random;"
            + " printed).")
    Long seed;

    @Option(names = "--no-crash", description = "Do not simulate the crash and resume.")
    boolean noCrash;

    @Option(names = "--clean", description = "Remove what demo runs stored (their sessions, jobs' events, DLQ items"
            + " and checkpoints, and the demo workflow) instead of running the demo.")
    boolean clean;

    @Override
    protected int execute(CliContext ctx) throws Exception {
        if (clean) {
            return clean(ctx);
        }
        validate();
        long runSeed = seed != null ? seed : new Random().nextLong() & 0xFFFF_FFFFL;
        DemoOptions options = new DemoOptions(jobs, items, agents, failRate, runSeed, !noCrash);
        String repository = ctx.repository();
        UnifiedStorage storage = ctx.storage();
        String command = ctx.environment().env().getOrDefault(LAUNCHER_VARIABLE, "prodigy-storage");
        DemoPrinter printer = new DemoPrinter(ctx, options, repository, commandPrefix(command, ctx.options()));
        List<JobRef> before = demoJobs(storage, repository);
        printer.header(ctx.opened());
        DemoWorkflow.ensureStored(storage, ctx.now());

        StorageHandle handle = new StorageHandle() {
            @Override
            public UnifiedStorage current() {
                return ctx.storage();
            }

            @Override
            public UnifiedStorage restart() {
                return reopensOnRestart() ? ctx.reopen() : ctx.storage();
            }

            @Override
            public boolean reopensOnRestart() {
                return ctx.storage().capabilities().contains(Capability.DURABLE);
            }
        };
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(ctx.now()) + "-"
                + HexFormat.of().toHexDigits((short) new Random().nextInt()).substring(0, 4);
        long started = ctx.environment().clock().millis();
        List<JobReport> reports = new ArrayList<>();
        for (int j = 1; j <= jobs; j++) {
            JobRef job = JobRef.of(repository, JOB_PREFIX + runId + "-" + j);
            printer.jobHeader(j, jobs, job);
            DemoJob demoJob = new DemoJob(handle, options, ctx.environment().clock(), printer::phase,
                    (task, total) -> ctx.progress(task, total));
            reports.add(demoJob.run(job, runSeed + j, j == 1 && options.crash()));
        }
        long elapsed = ctx.environment().clock().millis() - started;
        List<JobRef> all = demoJobs(ctx.storage(), repository);
        printer.summary(ctx.opened(), reports, elapsed, before.size(), all);
        return ExitCodes.OK;
    }

    private static int clean(CliContext ctx) {
        DemoCleaner.Removed r = DemoCleaner.clean(ctx.storage());
        if (ctx.json()) {
            ctx.out().printJson(r);
            return ExitCodes.OK;
        }
        if (r.sessions().isEmpty() && !r.workflow()) {
            ctx.out().line("No demo data stored in " + ctx.opened().location() + "; nothing removed.");
            return ExitCodes.OK;
        }
        ctx.out().line("Removed demo data from " + ctx.opened().location() + ": "
                + Formats.plural(r.sessions().size(), "session", "sessions") + ", "
                + Formats.plural(r.jobs().size(), "job", "jobs") + " (" + Formats.plural(r.events(), "event", "events")
                + ", " + Formats.plural(r.dlqItems(), "DLQ item", "DLQ items") + ", "
                + Formats.plural(r.checkpoints(), "checkpoint", "checkpoints") + ")"
                + (r.workflow() ? ", workflow " + DemoWorkflow.ID : "") + ".");
        return ExitCodes.OK;
    }

    private void validate() {
        if (jobs < 1 || jobs > 100) {
            throw new UsageException("--jobs must be from 1 to 100, was " + jobs);
        }
        if (items < 1 || items > 100_000) {
            throw new UsageException("--items must be from 1 to 100000, was " + items);
        }
        if (agents < 1 || agents > 256) {
            throw new UsageException("--agents must be from 1 to 256, was " + agents);
        }
        if (!(failRate >= 0 && failRate <= 1)) {
            throw new UsageException("--fail-rate must be from 0 to 1, was " + failRate);
        }
    }

    /** Demo jobs stored in the repository, earlier runs included. */
    static List<JobRef> demoJobs(UnifiedStorage storage, String repository) {
        return storage.events().listJobs(repository).stream().filter(j -> j.jobId().startsWith(JOB_PREFIX))
                .sorted().toList();
    }

    /** {@code prodigy-storage} with the storage options of this run, so the suggested commands look at the same data. */
    static String commandPrefix(String command, GlobalOptions o) {
        StringBuilder sb = new StringBuilder(command.contains(" ") ? "'" + command + "'" : command);
        if (o.storageDir() != null) {
            sb.append(" --storage-dir ").append(o.storageDir());
        }
        if (o.storageUrl() != null) {
            // A password in the URL is not repeated on the screen: the user fills it in (or sets PRODIGY_STORAGE_URL).
            sb.append(" --storage-url '").append(StorageUrl.redact(o.storageUrl())).append("'");
        }
        if (o.configFile() != null) {
            sb.append(" --config ").append(o.configFile());
        }
        if (o.backend() != null) {
            sb.append(" --backend ").append(o.backend());
        }
        if (o.repository() != null) {
            sb.append(" --repo ").append(o.repository());
        }
        return sb.toString();
    }
}
