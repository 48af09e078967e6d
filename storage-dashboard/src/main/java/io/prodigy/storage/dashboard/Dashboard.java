package io.prodigy.storage.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.prodigy.storage.UnifiedStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring dashboard: read-only web pages and a JSON API under {@code /api/} over one open storage, served by
 * the JDK's own HTTP server ({@code com.sun.net.httpserver}). It reads only through the SPI, so it serves every
 * backend. It answers GET and HEAD only: nothing it serves can change the data.
 *
 * <p>It does not own the storage: {@link #close()} stops the server and the live tails, and the caller closes the
 * storage afterwards.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    /** Request threads. Each live tail holds one while it is open, up to {@link LiveTail#MAX_STREAMS}. */
    private static final int THREADS = LiveTail.MAX_STREAMS + 8;

    private final HttpServer server;
    private final ExecutorService executor;
    private final LiveTail liveTail;
    private final DashboardOptions options;

    private Dashboard(HttpServer server, ExecutorService executor, LiveTail liveTail, DashboardOptions options) {
        this.server = server;
        this.executor = executor;
        this.liveTail = liveTail;
        this.options = options;
    }

    /**
     * Starts serving {@code storage}.
     *
     * @throws UncheckedIOException if the address cannot be bound (for example the port is taken)
     */
    public static Dashboard start(UnifiedStorage storage, DashboardOptions options) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(options, "options");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + options.bind().getHostAddress() + ":"
                    + options.port() + " (" + e.getMessage() + "). Choose another port with --port, or 0 for any"
                    + " free one.", e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LiveTail liveTail = new LiveTail(storage);
        server.setExecutor(executor);
        server.createContext("/", new Router(storage, new AccessGuard(options.token()), liveTail));
        server.start();
        Dashboard d = new Dashboard(server, executor, liveTail, options);
        log.info("Dashboard serving {} storage at {}", storage.backendType(), d.uri());
        return d;
    }

    /** The base address, for example {@code http://127.0.0.1:8080/} (the bound address when binding to all). */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The port listened on (the chosen one when the options asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address to open in a browser: {@link #uri()}, with the token when one is required. */
    public URI browserUri() {
        return options.token() == null ? uri() : URI.create(uri() + "?token=" + options.token());
    }

    /** Stops accepting requests, ends the live tails and waits briefly for requests in flight. Idempotent. */
    @Override
    public void close() {
        liveTail.close();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
