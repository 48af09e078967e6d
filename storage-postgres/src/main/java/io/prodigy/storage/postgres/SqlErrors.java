package io.prodigy.storage.postgres;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * SQLSTATE to the storage errors, with the distinction that decides whether a caller may retry: a failure the server
 * reports before it changed anything ("not applied": serialization failure, deadlock, a rejected value, a refused
 * connection) versus a lost connection while a write or its COMMIT was in flight ("outcome unknown": the write may
 * have been applied in full). Messages never contain the password or the URL's credentials: pgjdbc's messages name
 * the host and the user, nothing more.
 */
final class SqlErrors {

    /** Whether a failed write may nevertheless have been applied. */
    enum Outcome { NOT_APPLIED, UNKNOWN }

    private SqlErrors() {}

    /** Serialization failure or deadlock: rolled back by the server, safe to run again whatever the operation. */
    static boolean isTransientConflict(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** Unique violation. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** Foreign-key violation. */
    static boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState());
    }

    /** The connection broke or the server went away (class 08, admin/crash shutdown, the pool gave up). */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03")));
    }

    /**
     * Whether {@code e}, raised by a write, leaves its outcome unknown: only a connection lost while the statement
     * or its COMMIT was in flight. Everything the server answered with an error was rolled back.
     */
    static Outcome outcomeOf(SQLException e, boolean wasWriting) {
        return wasWriting && isConnectionLoss(e) && !(e instanceof SQLTransientConnectionException)
                ? Outcome.UNKNOWN : Outcome.NOT_APPLIED;
    }

    /**
     * The storage error for {@code e}.
     *
     * @param what       what was being done, for the message ("append to job r/j")
     * @param wasWriting whether the failed call was a write (decides "may have been applied")
     */
    static StorageException translate(SQLException e, String what, boolean wasWriting) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = firstLine(e);
        if (isTransientConflict(e)) {
            return new StorageUnavailableException("PostgreSQL rolled back " + what + " (" + detail
                    + "); nothing was applied and the call can be retried.", e);
        }
        if (isConnectionLoss(e) || state.equals("57014") || state.startsWith("53") && !state.equals("53100")) {
            boolean unknown = outcomeOf(e, wasWriting) == Outcome.UNKNOWN;
            String tail = state.equals("57014")
                    ? " The statement ran past the configured timeout and was cancelled; nothing was applied."
                    : unknown ? " The connection was lost while the write was in flight, so it may have been"
                            + " applied; retry only if the call is idempotent, or read back first."
                            : " Nothing was applied; retry when the database is reachable.";
            String message = "PostgreSQL is unavailable for " + what + ": " + detail + "." + tail;
            return unknown ? StorageUnavailableException.outcomeUnknown(message, e)
                    : new StorageUnavailableException(message, e);
        }
        if (state.equals("53100")) {
            return new StorageFullException("PostgreSQL is out of disk space; " + what + " stored nothing ("
                    + detail + "). Free space on the database server.", e);
        }
        if (state.equals("22P05")) {
            return new InvalidInputException("PostgreSQL cannot store the JSON of " + what + ": it contains the"
                    + " escape \\u0000 (a NUL character), which jsonb rejects. Remove NUL characters from the"
                    + " payload; nothing was stored.", e);
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return new InvalidInputException("PostgreSQL rejected a value in " + what + " (" + detail
                    + "); nothing was stored.", e);
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return new InvalidInputException("PostgreSQL refused the login (" + detail + "). Check"
                    + " storage.backend_config.username and password.", e);
        }
        if (state.equals("3D000")) {
            return new InvalidInputException("The PostgreSQL database does not exist (" + detail + "). Create it"
                    + " (CREATE DATABASE …) or fix storage.backend_config.database / url.", e);
        }
        if (state.startsWith("42")) {
            return new CorruptionException("The PostgreSQL schema does not match what this build expects while"
                    + " running " + what + " (" + detail + "). Was a table dropped or changed by hand? Check the"
                    + " schema version with the health report, or restore the schema.", e);
        }
        return new StorageUnavailableException("PostgreSQL failed " + what + " (SQLSTATE " + state + ": " + detail
                + ").", e);
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
