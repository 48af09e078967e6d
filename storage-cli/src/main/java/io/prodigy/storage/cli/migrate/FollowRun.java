package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.migrate.copy.CopyFailedException;
import io.prodigy.storage.migrate.copy.FollowPass;
import io.prodigy.storage.migrate.copy.FollowReport;
import io.prodigy.storage.migrate.copy.StopSignal;
import io.prodigy.storage.migrate.copy.StorageMigrator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code migrate copy --follow}: runs {@link StorageMigrator#follow} on the command's thread with a stop signal that
 * fires on {@code --until-file}, {@code --follow-for}, or SIGINT/SIGTERM.
 *
 * <p><b>Signals.</b> A JVM that receives SIGINT or SIGTERM runs its shutdown hooks and exits when they are done. The
 * hook registered here fires the stop signal and then waits until the cut-over has finished and its report is
 * printed, so Ctrl-C means "cut over now", not "abandon"; it then ends the process with the command's exit code (a
 * killed migration is still safe: running it again resumes without duplicates). The hook is removed when the command
 * ends normally.
 */
final class FollowRun {

    /** How often a status line is printed while following, at most. */
    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);

    private final CliContext ctx;
    private final MigrateCopy command;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private long statusAtNanos = System.nanoTime();
    private int passes;
    private long events;
    private long records;

    FollowRun(CliContext ctx, MigrateCopy command) {
        this.ctx = ctx;
        this.command = command;
    }

    int run(UnifiedStorage source, UnifiedStorage target, String targetName) {
        StopSignal stop = StopSignal.manual();
        Path until = command.untilFile(ctx);
        if (until != null) {
            stop = stop.orWhenFileExists(until);
        }
        if (command.followFor() != null) {
            stop = stop.orAfter(command.followFor(), ctx.environment().clock());
        }
        StopSignal signal = stop;
        Thread hook = new Thread(() -> cutOverOnSignal(signal), "prodigy-storage-migrate-cut-over");
        Runtime.getRuntime().addShutdownHook(hook);
        MigrateCopy.TypeBars bars = new MigrateCopy.TypeBars(ctx);
        int code = ExitCodes.FAILED;
        try {
            FollowReport report;
            try {
                report = new StorageMigrator(source, target).follow(command.followOptions(bars, pass -> {
                    bars.close();
                    status(pass, until);
                }), signal);
            } catch (CopyFailedException e) {
                bars.close();
                ctx.out().note("error: " + e.getMessage());
                return code;
            } finally {
                bars.close();
            }
            command.printFollow(ctx, report, targetName);
            code = !report.ok() ? ExitCodes.FAILED : report.locksHeld() ? MigrateCopy.LOCKS_HELD : ExitCodes.OK;
            return code;
        } finally {
            ctx.out().flush();
            exitCode.complete(code);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // SIGINT/SIGTERM: the hook is running and ends the process with this exit code
            }
        }
    }

    private void cutOverOnSignal(StopSignal signal) {
        signal.request("interrupted (SIGINT/SIGTERM)");
        ctx.out().note("Stopping: cutting over (a last catch-up pass, then verification). Killing the process now is"
                + " safe too: the same command resumes without duplicates.");
        int code = exitCode.join();
        ctx.out().flush();
        Runtime.getRuntime().halt(code);
    }

    /** Counts a pass; now and then tells the person at the terminal how the following goes (stderr). */
    private void status(FollowPass pass, Path until) {
        passes++;
        events += pass.events();
        records += pass.records() + pass.removed();
        if (ctx.json() || pass.cutover()) {
            return;
        }
        if (passes == 1) {
            ctx.out().note("Following the source" + (until != null ? " until " + until + " exists" : "")
                    + (command.followFor() != null ? " for " + Formats.duration(command.followFor()) : "")
                    + " (Ctrl-C to cut over)...");
        }
        long now = System.nanoTime();
        if (passes == 1 || pass.copiedAnything() && now - statusAtNanos >= STATUS_EVERY.toNanos()) {
            statusAtNanos = now;
            ctx.out().note(String.format(java.util.Locale.ROOT,
                    "following: %d pass(es), %d event(s) and %d record change(s) copied so far; lag %s",
                    passes, events, records, Formats.duration(pass.lag())));
        }
    }
}
