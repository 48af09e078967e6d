package io.prodigy.storage.it;

import io.prodigy.storage.core.config.url.StorageUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built {@code prodigy-storage.jar} (the {@code -Pdistributed} one, carrying every provider) run as a child
 * process, as users run it: in {@code dir} (whose name is the repository), with {@code HOME} a directory of the test
 * and no {@code PRODIGY_*} or {@code AWS_*} variable inherited, only those the test gives.
 */
final class CliProcess {

    /** The outcome of one run. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Process process;
    private final Path out;
    private final Path err;
    private final List<String> command;

    private CliProcess(Process process, Path out, Path err, List<String> command) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.command = command;
    }

    static Path jar() {
        String path = System.getProperty("prodigy.storage.jar");
        if (path == null) {
            throw new IllegalStateException("The system property prodigy.storage.jar is not set: run these tests with"
                    + " 'mvn -Pdistributed verify' (failsafe sets it to storage-cli's runnable jar)");
        }
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build storage-cli with -Pdistributed first"
                    + " (mvn -Pdistributed -pl storage-it -am verify does)");
        }
        return jar;
    }

    /** Starts {@code java -jar prodigy-storage.jar args…}; {@code stdin} (may be null) becomes its standard input. */
    static CliProcess start(Path dir, Map<String, String> env, String stdin, String... args) throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // short runs: start fast rather than peak late
        command.add("-Duser.home=" + home);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRODIGY_") || k.startsWith("AWS_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        if (stdin != null) {
            Path in = Files.createTempFile(dir, "stdin", ".txt");
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            pb.redirectInput(in.toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        return new CliProcess(pb.start(), out, err, command);
    }

    /** Waits at most {@code seconds} for the process; kills it and fails the test if it takes longer. */
    Result await(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("prodigy-storage did not finish within " + seconds + "s: " + shown()
                    + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The command line with any password in a storage URL masked. */
    private String shown() {
        return String.join(" ", command.stream().map(StorageUrl::redact).toList());
    }

    /** Ends a process left running by a failed test. */
    void kill() {
        process.destroyForcibly();
    }
}
