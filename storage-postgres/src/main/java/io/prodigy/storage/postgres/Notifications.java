package io.prodigy.storage.postgres;

import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.support.ChangeNotifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
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
 *
 * <p><b>Only when someone listens.</b> A {@code NOTIFY} is not free: the committing transaction takes a lock that
 * every notifying commit on the server queues for, and writes the notification queue. So appends notify only while
 * another process has subscribers on this schema. A process advertises that it has some by its listening connection's
 * {@code application_name} ({@link #advertisedName}); every {@value #WAIT_MILLIS} ms the listener thread updates its
 * own and looks for other processes' names (one {@code pg_stat_get_activity} read on its own connection, never on the
 * append's path). A name disappears with its connection, so a process that died stops the hints by itself. A new
 * subscriber elsewhere therefore gets hints within about two such rounds; until then it polls, as with any lost hint.
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
    /** The pool's connections' {@code application_name}, unless the JDBC URL sets {@code ApplicationName}. */
    static final String IDLE_NAME = "prodigy-storage";

    private final String channel;
    private final Connector connector;
    private final Map<String, ChangeNotifier> notifiers = new ConcurrentHashMap<>();
    private final Set<BooleanSupplier> interests = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Connection connection;
    private volatile boolean othersListen = true; // until the first round has looked
    /** The name the listening connection opened with (as the pool's), taken back when the subscribers are gone. */
    private String idleName = IDLE_NAME;

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

    /**
     * The {@code application_name} of a listening connection whose process has subscribers on {@code channel}; other
     * processes' appends notify while one is connected. At most 63 bytes (the channel is 32).
     */
    static String advertisedName(String channel) {
        return "prodigy-listen:" + channel;
    }

    /**
     * Registers {@code subscribed} (whether a store of this process has live subscriptions); the listener advertises
     * this process while any registered one says yes.
     */
    void addInterest(BooleanSupplier subscribed) {
        interests.add(subscribed);
    }

    void removeInterest(BooleanSupplier subscribed) {
        interests.remove(subscribed);
    }

    /**
     * Whether appends should {@code pg_notify}: another process listens with subscribers (as of the listener's last
     * round). This process's own subscribers are signalled directly ({@link #signalLocally}).
     */
    boolean othersListen() {
        return channel != null && othersListen;
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
                Boolean advertised = null;
                while (running.get()) {
                    advertised = advertise(c, advertised);
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
                othersListen = true; // cannot tell while disconnected: notify rather than miss a subscriber
            }
        }
    }

    /**
     * One round of the advertising: sets this connection's name when this process's interest changed (from
     * {@code advertised}, {@code null} at first), and reads whether any other connection advertises the channel.
     *
     * @return what this connection advertises now
     */
    private Boolean advertise(Connection c, Boolean advertised) throws SQLException {
        boolean subscribed = interests.stream().anyMatch(BooleanSupplier::getAsBoolean);
        if (advertised == null) {
            String opened = c.getClientInfo("ApplicationName");
            idleName = opened == null || opened.isEmpty() ? IDLE_NAME : opened;
        }
        if (advertised == null || advertised != subscribed) {
            c.setClientInfo("ApplicationName", subscribed ? advertisedName(channel) : idleName);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_stat_get_activity(NULL)"
                + " a WHERE a.application_name = ? AND a.pid <> pg_backend_pid())")) {
            ps.setString(1, advertisedName(channel));
            try (ResultSet rs = ps.executeQuery()) {
                othersListen = rs.next() && rs.getBoolean(1);
            }
        }
        return subscribed;
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
