package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UsageTest {

    @TempDir
    Path tmp;

    private TestCli cli() {
        return new TestCli(Map.of("PRODIGY_HOME", tmp.toString()), tmp, StorageOpener.factory());
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        CommandLine root = ProdigyStorageCli.commandLine(new CliEnvironment(new java.io.PrintWriter(
                java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()), System.in, Map.of(),
                tmp, java.time.Clock.systemUTC(), false, StorageOpener.factory()));
        assertThat(root.getSubcommands().keySet()).contains("info", "health", "sessions", "jobs", "events", "dlq",
                "checkpoints", "locks", "cleanup", "demo");
        checkHelp(root);
    }

    private void checkHelp(CommandLine cmd) {
        if (cmd.getCommandName().equals("help")) {
            return;
        }
        String[] path = cmd.getCommandSpec().qualifiedName(" ").split(" ");
        String[] args = new String[path.length];
        System.arraycopy(path, 1, args, 0, path.length - 1);
        args[path.length - 1] = "--help";
        CliResult r = cli().run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
        assertThat(r.out()).as(String.join(" ", args)).contains("Usage:", "Examples:");
        cmd.getSubcommands().values().forEach(this::checkHelp);
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhereHelpIs() {
        CliResult unknown = cli().run("evnets", "list");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("error: Unmatched arguments from index 0: 'evnets', 'list'", "events",
                "Try 'prodigy-storage --help' for usage and examples.");

        CliResult group = cli().run("dlq");
        assertThat(group.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(group.err()).isEqualTo("error: Missing subcommand: one of list, show, stats, remove, purge\n"
                + "Try 'prodigy-storage dlq --help' for usage and examples.\n");

        CliResult option = cli().run("jobs", "list", "--bogus");
        assertThat(option.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void verboseAddsTheStackTraceToTheOneLineError() {
        CliResult quiet = cli().run("--repo", "r", "events", "stats", "--job", "nope");
        assertThat(quiet.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(quiet.err().lines().count()).isEqualTo(1);
        CliResult verbose = cli().run("-v", "--repo", "r", "events", "stats", "--job", "nope");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(verbose.err()).startsWith("error: Job 'nope' not found in repository 'r'")
                .contains("CommandFailedException", "\tat io.prodigy.storage.cli.CliContext.existingJob");
    }

    @Test
    void versionAndRootUsage() {
        CliResult version = cli().run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("prodigy-storage ");
        CliResult none = cli().run();
        assertThat(none.exitCode()).as("no command is a usage error").isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("Missing command", "Usage: prodigy-storage", "demo", "Exit codes: 0 success");
        assertThat(none.out()).isEmpty();
    }
}
