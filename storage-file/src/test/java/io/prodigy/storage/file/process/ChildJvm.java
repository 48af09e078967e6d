package io.prodigy.storage.file.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one of this package's {@code main} classes with the test class path. Its stdout lines are
 * collected as they arrive (children print what the store acknowledged, flushing after each line).
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private final StringBuilder stderr = new StringBuilder();
    private final Thread errReader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process died
            }
        }, "child-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
        this.errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        if (stderr.length() < 20_000) {
                            stderr.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process died
            }
        }, "child-stderr");
        this.errReader.setDaemon(true);
        this.errReader.start();
    }

    static ChildJvm start(Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).start());
    }

    /** Waits until the child printed READY (its store is open). */
    boolean awaitReady(long seconds) throws InterruptedException {
        return ready.await(seconds, TimeUnit.SECONDS);
    }

    /** Waits until the child printed at least {@code n} lines (besides READY), or the time is up. */
    void awaitLines(int n, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (lines.size() < n && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    /** Waits for a normal exit; returns the exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish within " + seconds + " s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /**
     * SIGKILL on Linux; waits until the process is gone and its output is drained. Through the process's handle, not
     * {@code Process.destroyForcibly()}: that also closes the pipes it reads from, so lines the child printed just
     * before the kill and the reader had not taken yet would be lost.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
    }

    /** Lines printed so far (after the process ended and {@link #drain()}, all of them). */
    List<String> lines() {
        return lines;
    }

    void drain() throws InterruptedException {
        reader.join(10_000);
        errReader.join(10_000);
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
