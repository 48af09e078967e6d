package io.prodigy.storage.tck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One client per JVM for contract tests against a long-lived server: a connection pool, a Redis client, an S3
 * client, an embedded s3proxy. Every contract class of a backend shares it instead of opening its own, so a run of a
 * few hundred tests opens one pool, not hundreds.
 *
 * <p>A resource is opened on the first {@link #get} of its key and closed when the JVM exits (newest first). A
 * storage a test opens over a shared client must not close the client: give the backend a non-owning handle (the
 * storage's {@code close} closes only what the storage itself opened), so each test still closes its storage and
 * calls after {@code close} fail as the SPI requires.
 */
public final class SharedResources {

    private static final Map<String, AutoCloseable> RESOURCES = new ConcurrentHashMap<>();
    private static final List<AutoCloseable> OPEN_ORDER = Collections.synchronizedList(new ArrayList<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedResources::closeAll, "tck-shared-resources"));
    }

    private SharedResources() {}

    /**
     * The resource registered under {@code key}, opened with {@code opener} on first use (at most once per key, even
     * when test classes run in parallel).
     */
    @SuppressWarnings("unchecked")
    public static <T extends AutoCloseable> T get(String key, Supplier<T> opener) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(opener, "opener");
        return (T) RESOURCES.computeIfAbsent(key, k -> {
            T opened = Objects.requireNonNull(opener.get(), () -> "the opener of shared resource '" + k
                    + "' returned null");
            OPEN_ORDER.add(opened);
            return opened;
        });
    }

    private static void closeAll() {
        List<AutoCloseable> order;
        synchronized (OPEN_ORDER) {
            order = new ArrayList<>(OPEN_ORDER);
            OPEN_ORDER.clear();
        }
        Collections.reverse(order);
        for (AutoCloseable resource : order) {
            try {
                resource.close();
            } catch (Exception e) {
                // The JVM is exiting; a resource that fails to close has nothing left to protect.
                System.err.println("tck: closing a shared resource failed: " + e);
            }
        }
        RESOURCES.clear();
    }
}
