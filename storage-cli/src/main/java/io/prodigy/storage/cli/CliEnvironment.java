package io.prodigy.storage.cli;

import io.prodigy.storage.config.HomeDirectory;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command reads from or writes to the world, injected so that tests run commands in-process with
 * captured output, a fixed environment and a temporary working directory.
 *
 * @param stdout      where results go (one JSON document with {@code --json})
 * @param stderr      where errors, warnings and progress go
 * @param stdin       read by {@code events append} when no file is given, and by confirmation prompts
 * @param env         the environment variables (storage configuration reads PRODIGY_* from here)
 * @param workingDir  the current directory: the default repository name derives from it
 * @param clock       time source for relative times and the storage's leases
 * @param interactive whether a person is at a terminal: progress bars instead of progress lines, and confirmation
 *                    prompts before destructive commands
 * @param opener      opens the configured storage
 */
public record CliEnvironment(
        PrintWriter stdout, PrintWriter stderr, InputStream stdin, Map<String, String> env, Path workingDir,
        Clock clock, boolean interactive, StorageOpener opener) {

    public CliEnvironment {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(stdin, "stdin");
        env = Map.copyOf(env);
        workingDir = workingDir.toAbsolutePath().normalize();
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(opener, "opener");
    }

    /** The real process environment. */
    public static CliEnvironment system(PrintWriter out, PrintWriter err) {
        return new CliEnvironment(out, err, System.in, System.getenv(), Path.of(""), Clock.systemUTC(),
                System.console() != null, StorageOpener.factory());
    }

    /** The user's home: {@code HOME} of {@link #env()}, else {@code user.home} ({@link HomeDirectory}'s rule). */
    public Path home() {
        return HomeDirectory.of(env);
    }

    public CliEnvironment withOpener(StorageOpener other) {
        return new CliEnvironment(stdout, stderr, stdin, env, workingDir, clock, interactive, other);
    }

    public CliEnvironment withStdin(InputStream in) {
        return new CliEnvironment(stdout, stderr, in, env, workingDir, clock, interactive, opener);
    }
}
