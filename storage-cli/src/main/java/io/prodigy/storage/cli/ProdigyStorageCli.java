package io.prodigy.storage.cli;

import io.prodigy.storage.cli.checkpoints.CheckpointsCommand;
import io.prodigy.storage.cli.convert.DurationConverter;
import io.prodigy.storage.cli.convert.TimeConverter;
import io.prodigy.storage.cli.cleanup.CleanupCommand;
import io.prodigy.storage.cli.dashboard.DashboardCommand;
import io.prodigy.storage.cli.demo.DemoCommand;
import io.prodigy.storage.cli.dlq.DlqCommand;
import io.prodigy.storage.cli.events.EventsCommand;
import io.prodigy.storage.cli.info.HealthCommand;
import io.prodigy.storage.cli.info.InfoCommand;
import io.prodigy.storage.cli.jobs.JobsCommand;
import io.prodigy.storage.cli.locks.LocksCommand;
import io.prodigy.storage.cli.migrate.MigrateCommand;
import io.prodigy.storage.cli.sessions.SessionsCommand;
import io.prodigy.storage.cli.workflows.WorkflowsCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code prodigy-storage}: the operator's tool over any storage backend. This class is the root command: it holds the
 * global options (inherited by every subcommand, so they may be given before or after the subcommand name) and the
 * environment the commands run in; each command group lives in its own package.
 */
@Command(
        name = "prodigy-storage",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Inspect, repair and migrate Prodigy storage (sessions, events, DLQ, checkpoints, locks) on any"
                + " backend.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            InfoCommand.class,
            HealthCommand.class,
            SessionsCommand.class,
            JobsCommand.class,
            EventsCommand.class,
            DlqCommand.class,
            CheckpointsCommand.class,
            LocksCommand.class,
            MigrateCommand.class,
            WorkflowsCommand.class,
            CleanupCommand.class,
            DemoCommand.class,
            CompletionCommand.class,
            DashboardCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  prodigy-storage demo          # a simulated MapReduce workload, end to end",
            "  prodigy-storage dashboard     # watch it in a browser: http://127.0.0.1:8080/",
            "  prodigy-storage info          # where the data lives, how it is configured",
            "  prodigy-storage jobs list     # jobs with event counts and DLQ depth",
            "  prodigy-storage --json events stats --job JOB",
            "",
            "Exit codes: 0 success, 1 operation failed or storage unhealthy, 2 usage error."
        })
public final class ProdigyStorageCli implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--storage-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Base directory of the file backend (highest precedence; overrides PRODIGY_HOME and"
                    + " PRODIGY_STORAGE_BASE_PATH).")
    Path storageDir;

    @Option(names = "--storage-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Storage URL that selects and configures the backend (highest precedence; overrides"
                    + " PRODIGY_STORAGE_URL and storage.url): file:///abs/path, memory:,"
                    + " postgresql://user[:password]@host[:port]/database[?schema=NAME],"
                    + " redis://[:password@]host[:port][/db][?prefix=NAME],"
                    + " s3://bucket[/prefix][?endpoint=URL&region=R&path_style=true].")
    String storageUrl;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "YAML file with a 'storage:' block (default: $PRODIGY_HOME/config.yml or"
                    + " ~/.prodigy/config.yml if it exists).")
    Path configFile;

    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Storage backend, for example file or memory (overrides PRODIGY_STORAGE_TYPE).")
    String backend;

    @Option(names = "--repo", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Repository name (default: the name of the current directory's repository root, the nearest"
                    + " directory with .git, as Prodigy derives it).")
    String repository;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON document on stdout (snake_case fields, ISO-8601 UTC times), for scripts.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    boolean verbose;

    private final CliEnvironment environment;

    public ProdigyStorageCli(CliEnvironment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** No command: the usage on stderr and exit 2, as for any other incomplete command line. */
    @Override
    public Integer call() {
        CommandLine cmd = new CommandLine(this);
        environment.stderr().println("error: Missing command.");
        cmd.usage(environment.stderr());
        environment.stderr().flush();
        return ExitCodes.USAGE;
    }

    /** The options every command shares, as given on the command line. */
    public GlobalOptions globalOptions() {
        return new GlobalOptions(storageDir, storageUrl, configFile, backend, repository, json, verbose);
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** Builds the configured command line: output streams, exit codes and error handling. */
    public static CommandLine commandLine(CliEnvironment environment) {
        ProdigyStorageCli root = new ProdigyStorageCli(environment);
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(environment.stdout());
        cmd.setErr(environment.stderr());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setUsageHelpAutoWidth(true);
        cmd.setExecutionExceptionHandler(new ErrorHandler(root));
        cmd.setParameterExceptionHandler(new UsageErrorHandler());
        cmd.setExitCodeExceptionMapper(ExitCodes::forException);
        cmd.registerConverter(Duration.class, new DurationConverter());
        cmd.registerConverter(Instant.class, new TimeConverter(environment.clock()));
        return cmd;
    }

    /** Runs one command line in this process and returns its exit code (tests call this). */
    public static int run(CliEnvironment environment, String... args) {
        return commandLine(environment).execute(args);
    }

    public static void main(String[] args) {
        Logging.configure(args);
        int code;
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        code = run(CliEnvironment.system(out, err), args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
