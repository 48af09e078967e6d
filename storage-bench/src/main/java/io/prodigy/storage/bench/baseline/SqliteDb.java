package io.prodigy.storage.bench.baseline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Opens SQLite (org.xerial sqlite-jdbc) the way a user who needs durability would: WAL journal and
 * {@code synchronous=FULL}, so a commit fsyncs the WAL before it returns, as the project's backends fsync before an
 * append returns. Everything else is at SQLite's defaults (4 KiB pages, automatic checkpoints every 1000 pages).
 */
public final class SqliteDb {

    private SqliteDb() {}

    /** A connection to {@code file} in WAL mode with {@code synchronous=FULL} and auto-commit off. */
    public static Connection open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                rs.next();
                String mode = rs.getString(1);
                if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
                    throw new SQLException("SQLite refused WAL mode (got " + mode + ") for " + file);
                }
            }
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=30000");
        }
        c.setAutoCommit(false);
        return c;
    }

    /** The value of {@code PRAGMA name}, for checking the settings a benchmark ran with. */
    public static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
