package io.prodigy.storage.cli.info;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code health}: probes the backend and prints the structured report (with what the cross-cutting layers add:
 * circuit breaker, cache, metrics). Exit 0 when healthy, 1 when degraded or down, including when the storage cannot
 * even be opened (that is reported as DOWN with the reason).
 */
@Command(name = "health", description = "Probe the storage and print its health report. Exit code 0 when healthy,"
        + " 1 when degraded or down.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage health", "  prodigy-storage --json health",
            "  prodigy-storage health || echo 'storage needs attention'"})
public final class HealthCommand extends StorageCommand {

    @Override
    protected int execute(CliContext ctx) {
        HealthReport report;
        try {
            report = ctx.storage().health();
        } catch (StorageConfigException e) {
            throw e; // a configuration mistake is a usage error, not a health state
        } catch (StorageException e) {
            String backend = ctx.options().backend() == null ? "configured" : ctx.options().backend();
            report = new HealthReport(HealthStatus.DOWN, backend, "cannot open storage: " + e.getMessage(), null,
                    Map.of(), ctx.now());
        }
        print(ctx.out(), report);
        return report.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static void print(Output out, HealthReport report) {
        if (out.json()) {
            out.printJson(report);
            return;
        }
        out.line("Status     %s", report.status());
        out.line("Backend    %s", report.backendType());
        if (!report.message().isEmpty()) {
            out.line("Message    %s", report.message());
        }
        out.line("Probe      %s", Formats.duration(report.probeLatency()));
        out.line("Checked    %s", Formats.time(report.checkedAt()));
        if (!report.details().isEmpty()) {
            out.line("Details");
            int width = report.details().keySet().stream().mapToInt(String::length).max().orElse(0);
            report.details().forEach((k, v) -> out.line("  %-" + width + "s  %s", k, v));
        }
    }
}
