package io.prodigy.storage.cli.dashboard;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.dashboard.Dashboard;
import io.prodigy.storage.dashboard.DashboardOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dashboard}: serves the read-only monitoring dashboard (pages and a JSON API) over the configured storage
 * until Ctrl-C. Binds to 127.0.0.1 unless told otherwise; any other address requires an access token.
 */
@Command(name = "dashboard", description = "Serve a read-only web dashboard and JSON API over the storage: jobs"
        + " with status and progress, event charts and a live tail, DLQ items, checkpoints, sessions, workflows and"
        + " locks. Runs until Ctrl-C.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage dashboard                      # http://127.0.0.1:8080/",
            "  prodigy-storage dashboard --port 9000",
            "  prodigy-storage dashboard --bind 0.0.0.0       # other machines: prints an access token",
            "  PRODIGY_DASHBOARD_TOKEN=... prodigy-storage dashboard --bind 0.0.0.0"})
public final class DashboardCommand extends StorageCommand {

    /** Environment variable with the access token (keeps it out of the process list). */
    static final String TOKEN_VARIABLE = "PRODIGY_DASHBOARD_TOKEN";

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}, this machine only). Any other address,"
                    + " for example 0.0.0.0, requires an access token.")
    String bind;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Access token every request must carry (default: $" + TOKEN_VARIABLE + ", or generated"
                    + " and printed when binding beyond this machine). At least 16 letters, digits, '.', '_', '~',"
                    + " '-'.")
    String token;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "Stop after this long (for scripts and demos), for example 30s or 10m.")
    Duration serveFor;

    @Override
    protected int execute(CliContext ctx) throws InterruptedException {
        String given = token != null ? token : ctx.environment().env().get(TOKEN_VARIABLE);
        DashboardOptions options;
        try {
            options = DashboardOptions.forAddress(bind, port, given);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(10, TimeUnit.SECONDS); // let the storage close before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "prodigy-storage-dashboard-stop");
        try (Dashboard dashboard = Dashboard.start(ctx.storage(), options)) {
            announce(ctx, dashboard, options, given == null && options.token() != null);
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            if (serveFor != null) {
                stop.await(serveFor.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for 'stopped'
            }
            ctx.close();
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    private static void announce(CliContext ctx, Dashboard d, DashboardOptions options, boolean generated) {
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("url", d.uri().toString());
            doc.put("bind", options.bind().getHostAddress());
            doc.put("port", d.port());
            doc.put("token_required", options.token() != null);
            doc.put("browser_url", d.browserUri().toString());
            ctx.out().printJson(doc);
            return;
        }
        ctx.out().line("Dashboard serving %s storage at %s", ctx.storage().backendType(), d.uri());
        if (!options.bind().isLoopbackAddress()) {
            ctx.out().line("Listening on %s port %d: from other machines, use this machine's address.",
                    options.bind().getHostAddress(), d.port());
        }
        if (options.token() != null) {
            ctx.out().line("Access token%s: %s", generated ? " (generated)" : "", options.token());
            ctx.out().line("Open %s  (or send 'Authorization: Bearer TOKEN')", d.browserUri());
        }
        ctx.out().flush();
        ctx.out().note("Read-only. Press Ctrl-C to stop.");
    }
}
