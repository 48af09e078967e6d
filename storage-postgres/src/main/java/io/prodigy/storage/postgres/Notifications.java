package io.prodigy.storage.postgres;

import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.support.ChangeNotifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-up hints for subscribers: appends {@code pg_notify} the schema's channel with the job as payload (delivered
 * when the append commits), and one daemon thread per client {@code LISTEN}s on a dedicated connection (not one from
 * the pool) and signals that job's {@link ChangeNotifier}. Appends in this process signal it directly too. Hints are
 * never the truth: a lost one (the listener reconnecting, a server restart) delays a subscriber by at most its poll
 * interval. After a reconnect every notifier is signalled, since hints may have been missed.
 */
final class Notifications implements AutoCloseable {

    /** Opens the listener's connection. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int WAIT_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final String channel;
    private final Connector connector;
    private final Map<String, ChangeNotifier> notifiers = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Connection connection;

    /**
     * @param schema    the schema whose appends are listened to
     * @param connector opens a dedicated connection, or {@code null} to use no {@code LISTEN} (hints in this process
     *                  only)
     */
    Notifications(String schema, Connector connector) {
        this.channel = connector == null ? null : channelOf(schema);
        this.connector = connector;
        if (connector == null) {
            this.thread = null;
        } else {
            this.thread = new Thread(this::listen, "prodigy-postgres-listen-" + schema);
            this.thread.setDaemon(true);
            this.thread.start();
        }
    }

    /** The channel appends notify, or {@code null} when notifications are off. */
    String channel() {
        return channel;
    }

    /**
     * The channel for a schema: {@code prodigy_} and 24 hex digits of its name's SHA-256, short enough for
     * PostgreSQL's 63-byte identifiers whatever the schema is called, and the same in every process.
     */
    static String channelOf(String schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            return "prodigy_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String payload(JobRef job) {
        return job.repository() + "/" + job.jobId();
    }

    ChangeNotifier notifierFor(JobRef job) {
        return notifiers.computeIfAbsent(payload(job), k -> new ChangeNotifier());
    }

    void signalLocally(JobRef job) {
        ChangeNotifier n = notifiers.get(payload(job));
        if (n != null) {
            n.signal();
        }
    }

    /** Whether the listener holds a working connection (for health). */
    boolean listening() {
        return connection != null;
    }

    private void listen() {
        long backoff = 100;
        while (running.get()) {
            try (Connection c = connector.connect()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                connection = c;
                backoff = 100;
                notifiers.values().forEach(ChangeNotifier::signal); // hints may have been lost while disconnected
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running.get()) {
                    PGNotification[] batch = pg.getNotifications(WAIT_MILLIS);
                    if (batch == null) {
                        continue;
                    }
                    for (PGNotification n : batch) {
                        ChangeNotifier notifier = notifiers.get(n.getParameter());
                        if (notifier != null) {
                            notifier.signal();
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running.get()) {
                    LOG.debug("LISTEN connection for {} lost ({}); reconnecting in {} ms", channel, e.toString(),
                            backoff);
                    sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
            } finally {
                connection = null;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!running.compareAndSet(true, false) || thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(WAIT_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
