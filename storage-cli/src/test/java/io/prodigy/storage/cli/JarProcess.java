package io.prodigy.storage.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code prodigy-storage.jar} as a child process, the way users run it, with its own environment:
 * {@code PRODIGY_HOME} pointing at a test directory and no other PRODIGY_* variable inherited.
 */
final class JarProcess {

    private final Process process;
    private final Path out;
    private final Path err;

    private JarProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static Path jar() {
        String path = System.getProperty("prodigy.storage.jar");
        if (path == null) {
            throw new IllegalStateException("system property prodigy.storage.jar is not set: run the *IT tests with"
                    + " 'mvn verify' (failsafe sets it after the jar is built)");
        }
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run 'mvn -pl storage-cli package' first");
        }
        return jar;
    }

    /** Starts the jar with {@code args} in {@code workingDir}; stdin from {@code stdin} (may be null). */
    static JarProcess start(Path workingDir, Map<String, String> env, String stdin, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        Files.createDirectories(workingDir);
        Path out = Files.createTempFile(workingDir, "stdout", ".txt");
        Path err = Files.createTempFile(workingDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRODIGY_"));
        pb.environment().putAll(env);
        if (stdin != null) {
            Path in = Files.createTempFile(workingDir, "stdin", ".txt");
            Files.writeString(in, stdin);
            pb.redirectInput(in.toFile());
        }
        return new JarProcess(pb.start(), out, err);
    }

    /** Runs to completion (at most {@code seconds}). */
    static CliResult run(Path workingDir, Map<String, String> env, String stdin, String... args) throws Exception {
        return start(workingDir, env, stdin, args).await(120);
    }

    String stdoutSoFar() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderrSoFar() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    CliResult await(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("prodigy-storage did not finish within " + seconds + "s; stdout:\n"
                    + stdoutSoFar() + "\nstderr:\n" + stderrSoFar());
        }
        return new CliResult(process.exitValue(), stdoutSoFar(), stderrSoFar());
    }

    void kill() {
        process.destroyForcibly();
    }
}
