package io.prodigy.storage.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} started by a test on a free loopback port, in its own directory, with the test's own
 * options (persistence, password, eviction). {@link #kill()} sends SIGKILL, {@link #start()} starts it again on the
 * same port and directory. Under {@code CI=true} a missing {@code redis-server} binary fails the test; otherwise it
 * is skipped.
 */
public final class RedisProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> options;
    private Process process;
    private Path configFile;

    private RedisProcess(Path dir, int port, List<String> options) {
        this.dir = dir;
        this.port = port;
        this.options = options;
    }

    /**
     * Starts a Redis Sentinel monitoring nothing ({@code redis-server sentinel.conf --sentinel}): a server that
     * answers {@code PING} and {@code INFO} but holds no data.
     */
    public static RedisProcess startSentinel(Path dir) throws IOException {
        binary();
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, "");
        RedisProcess p = new RedisProcess(dir, freePort(), List.of("--sentinel"));
        p.configFile = conf;
        p.start();
        return p;
    }

    /** Starts a server with {@code options} (for example {@code --appendonly yes}). */
    public static RedisProcess start(Path dir, String... options) throws IOException {
        binary();
        RedisProcess p = new RedisProcess(dir, freePort(), List.of(options));
        p.start();
        return p;
    }

    private static String binary() {
        return tool("redis-server");
    }

    /**
     * The path of a Redis program ({@code redis-server}, {@code redis-cli}); under {@code CI=true} a missing one fails
     * the test, otherwise it is skipped.
     */
    static String tool(String name) {
        for (String candidate : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String why = name + " is not installed, so tests that start their own Redis cannot run"
                + " (apt-get install redis-server)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        return Assumptions.abort(why);
    }

    /** Starts (or restarts) the server and waits until it answers PING. */
    public void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary()));
        if (configFile != null) {
            cmd.add(configFile.toString()); // a config file comes first, before every --option
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--logfile", "redis.log"));
        cmd.addAll(options);
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!RedisTestServer.ping(url()) && !needsPassword()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IOException("redis-server on port " + port + " did not start: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            sleep(20);
        }
    }

    private boolean needsPassword() {
        return options.contains("--requirepass") && process.isAlive() && portOpen();
    }

    private boolean portOpen() {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown, no final save. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
