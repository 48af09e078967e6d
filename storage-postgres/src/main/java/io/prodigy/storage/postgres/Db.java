package io.prodigy.storage.postgres;

import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.support.InstantRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * How the stores talk to PostgreSQL: one pooled connection per call, a statement or a transaction on it, SQL errors
 * translated by {@link SqlErrors}. Serialization failures and deadlocks (which the server rolled back), and reads whose
 * connection broke, run again a few times before they reach the caller; a write whose connection broke does not (its
 * outcome is unknown).
 *
 * <p><b>Time.</b> Every statement that needs "now" binds {@link #nowParam} into {@link #NOW}: {@code null} with the
 * server clock, so the database's {@code statement_timestamp()} decides (one clock for every host), or the client
 * clock's instant when the store was opened with {@code clock: client}. One SQL text serves both.
 */
final class Db {

    /** The SQL expression for "now"; bind {@link #nowParam} to its parameter. */
    static final String NOW = "COALESCE(?::timestamptz, statement_timestamp())";

    private static final int ATTEMPTS = 5;

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final Clock clientClock;
    private final BooleanSupplier closed;

    /**
     * @param clientClock the clock that decides "now", or {@code null} for the server's
     * @param closed      whether the storage using this is closed (calls then fail)
     */
    Db(DataSource dataSource, Clock clientClock, BooleanSupplier closed) {
        this.dataSource = dataSource;
        this.clientClock = clientClock;
        this.closed = closed;
    }

    /** Whether expiry follows the client clock. */
    boolean clientClock() {
        return clientClock != null;
    }

    /** Binds "now" at {@code index}: the client clock's instant, or SQL NULL so that the server's time is used. */
    void bindNow(PreparedStatement ps, int index) throws SQLException {
        bindInstant(ps, index, clientClock == null ? null : InstantRange.normalize(clientClock.instant()));
    }

    /** The store's time, truncated to microseconds: the client clock, or one round trip to the server. */
    Instant now() {
        if (clientClock != null) {
            ensureOpen("reading the store's time");
            return InstantRange.normalize(clientClock.instant());
        }
        return read("reading the server's time", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT statement_timestamp()");
                    java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Rows.instant(rs, 1);
            }
        });
    }

    static void bindInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, at.atOffset(ZoneOffset.UTC));
        }
    }

    /** Runs a read on an auto-commit connection. */
    <T> T read(String what, Work<T> work) {
        return run(() -> what, false, false, work);
    }

    /**
     * {@link #read(String, Work)} with the description built only if an error needs it: the hot paths' calls (a
     * lock pair, a record save and load) would otherwise concatenate a message on every call.
     */
    <T> T read(Supplier<String> what, Work<T> work) {
        return run(what, false, false, work);
    }

    /** Runs one write statement on an auto-commit connection: atomic by itself, one round trip. */
    <T> T write(String what, Work<T> work) {
        return run(() -> what, true, false, work);
    }

    /** {@link #write(String, Work)} with the description built only if an error needs it. */
    <T> T write(Supplier<String> what, Work<T> work) {
        return run(what, true, false, work);
    }

    /** Runs {@code work} in one transaction (READ COMMITTED), committed if it returns, rolled back if it throws. */
    <T> T transaction(String what, Work<T> work) {
        return run(() -> what, true, true, work);
    }

    /** {@link #transaction(String, Work)} with the description built only if an error needs it. */
    <T> T transaction(Supplier<String> what, Work<T> work) {
        return run(what, true, true, work);
    }

    /** Fails if the storage is closed. */
    void ensureOpen(String what) {
        if (closed.getAsBoolean()) {
            throw new IllegalStateException("The PostgreSQL storage is closed; " + what + " was not run.");
        }
    }

    private <T> T run(Supplier<String> what, boolean writing, boolean transactional, Work<T> work) {
        if (closed.getAsBoolean()) {
            ensureOpen(what.get());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work, transactional);
            } catch (SQLException e) {
                // Rolled back by the server, or a read whose connection broke (a pooled connection the server
                // closed meanwhile: the pool evicts it, the next attempt gets a fresh one): safe to run again.
                boolean again = SqlErrors.isTransientConflict(e) || (!writing && SqlErrors.isConnectionLoss(e));
                if (again && attempt < ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw SqlErrors.translate(e, what.get(), writing);
            }
        }
    }

    private <T> T once(Work<T> work, boolean transactional) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!transactional) {
                return work.run(c);
            }
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // The pool resets auto-commit itself when it gets the connection back; a broken one is evicted.
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while retrying after a serialization failure.", e);
        }
    }
}
