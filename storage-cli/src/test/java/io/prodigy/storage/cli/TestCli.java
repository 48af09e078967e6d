package io.prodigy.storage.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs commands in-process with captured output, a fixed environment and a working directory. */
public final class TestCli {

    private final Map<String, String> env;
    private final Path workingDir;
    private final StorageOpener opener;
    private InputStream stdin = new ByteArrayInputStream(new byte[0]);
    private Clock clock = Clock.systemUTC();

    public TestCli(Map<String, String> env, Path workingDir, StorageOpener opener) {
        this.env = new HashMap<>(env);
        this.workingDir = workingDir;
        this.opener = opener;
    }

    public TestCli withStdin(String text) {
        this.stdin = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Raw stdin bytes (for input that is not valid UTF-8). */
    public TestCli withStdin(byte[] bytes) {
        this.stdin = new ByteArrayInputStream(bytes);
        return this;
    }

    public TestCli withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    public TestCli withClock(Clock c) {
        this.clock = c;
        return this;
    }

    /** A command running on another thread, whose output can be watched while it runs. */
    public record Running(StringWriter out, StringWriter err, CompletableFuture<Integer> exit) {
        public String outSoFar() {
            return out.toString(); // StringWriter is thread-safe
        }

        public CliResult await(long seconds) throws Exception {
            int code = exit.get(seconds, TimeUnit.SECONDS);
            return new CliResult(code, out.toString(), err.toString());
        }
    }

    /** Starts the command on another thread. */
    public Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true), stdin,
                env, workingDir, clock, false, opener);
        return new Running(out, err, CompletableFuture.supplyAsync(() -> ProdigyStorageCli.run(environment, args)));
    }

    public CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true), stdin,
                env, workingDir, clock, false, opener);
        int code = ProdigyStorageCli.run(environment, args);
        return new CliResult(code, out.toString(), err.toString());
    }
}
