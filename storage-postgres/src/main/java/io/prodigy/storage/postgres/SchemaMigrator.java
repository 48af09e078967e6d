package io.prodigy.storage.postgres;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.postgres.PostgresConfig.Migrations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema's versions: SQL files under {@code io/prodigy/storage/postgres/migrations/} named
 * {@code V<nnn>__<description>.sql} (Flyway's naming, so a team that runs Flyway or Liquibase can take them as they
 * are), applied in order and recorded in the table {@value #HISTORY_TABLE}.
 *
 * <p>{@code create} takes a transaction-level advisory lock on the schema's name, then reads what is applied and
 * applies the rest, all in one transaction (PostgreSQL DDL is transactional): concurrent openers queue on the lock and
 * find nothing left to do, and a failed migration leaves the schema as it was. {@code validate} changes nothing and
 * fails unless every version is applied with the checksum of its file. Both refuse a schema at a version newer than
 * this build knows.
 */
final class SchemaMigrator {

    /** The table recording applied versions. */
    static final String HISTORY_TABLE = "prodigy_schema_version";

    /** Every version this build knows, oldest first. Add a file and a line here together. */
    static final List<Migration> MIGRATIONS = List.of(new Migration(1, "initial_schema"),
            new Migration(2, "revoked_leases"), new Migration(3, "lock_updates_in_place"),
            new Migration(4, "event_ids_on_events"));

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** One versioned SQL file. */
    record Migration(int version, String description) {

        String fileName() {
            return String.format("V%03d__%s.sql", version, description);
        }

        String sql() {
            String resource = "migrations/" + fileName();
            try (InputStream in = SchemaMigrator.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + resource + " in storage-postgres");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String checksum() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(sql().getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private SchemaMigrator() {}

    /** The version this build expects. */
    static int expectedVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Brings the schema to this build's version ({@code create}), checks it ({@code validate}) or does nothing
     * ({@code none}).
     *
     * @return the schema's version afterwards (0 if it has no version table)
     * @throws StorageConfigException if the schema is older ({@code validate}), newer, or altered
     */
    static int migrate(Connection c, String schema, Migrations mode) throws SQLException {
        return migrate(c, schema, mode, MIGRATIONS);
    }

    /** As {@link #migrate(Connection, String, Migrations)}, up to the given versions only (tests of upgrades). */
    static int migrate(Connection c, String schema, Migrations mode, List<Migration> known) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int version = switch (mode) {
                case CREATE -> create(c, schema, known);
                case VALIDATE -> validate(c, schema, known);
                case NONE -> currentVersion(c, schema);
            };
            c.commit();
            return version;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The highest version recorded in {@code schema}, or 0 if it has no version table. */
    static int currentVersion(Connection c, String schema) throws SQLException {
        Map<Integer, String> applied = applied(c, schema);
        return applied.isEmpty() ? 0 : ((TreeMap<Integer, String>) applied).lastKey();
    }

    private static int create(Connection c, String schema, List<Migration> known) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "prodigy-storage schema " + schema);
            lock.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            s.execute("SET LOCAL search_path TO " + quote(schema));
            s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY_TABLE + " (version integer PRIMARY KEY,"
                    + " description text NOT NULL, script text NOT NULL, checksum text NOT NULL,"
                    + " installed_at timestamptz NOT NULL DEFAULT now(), execution_ms integer NOT NULL)");
        }
        // Read under the lock: a concurrent opener that got here first has applied its versions already.
        Map<Integer, String> applied = applied(c, schema);
        checkApplied(schema, applied, known, false);
        int version = applied.isEmpty() ? 0 : ((TreeMap<Integer, String>) applied).lastKey();
        for (Migration m : known) {
            if (applied.containsKey(m.version())) {
                continue;
            }
            long started = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute(m.sql());
            }
            int millis = (int) ((System.nanoTime() - started) / 1_000_000);
            try (PreparedStatement record = c.prepareStatement("INSERT INTO " + HISTORY_TABLE
                    + " (version, description, script, checksum, execution_ms) VALUES (?, ?, ?, ?, ?)")) {
                record.setInt(1, m.version());
                record.setString(2, m.description());
                record.setString(3, m.fileName());
                record.setString(4, m.checksum());
                record.setInt(5, millis);
                record.executeUpdate();
            }
            LOG.info("Applied PostgreSQL schema version {} ({}) to schema {} in {} ms", m.version(), m.fileName(),
                    schema, millis);
            version = m.version();
        }
        return version;
    }

    private static int validate(Connection c, String schema, List<Migration> known) throws SQLException {
        Map<Integer, String> applied = applied(c, schema);
        checkApplied(schema, applied, known, true);
        return ((TreeMap<Integer, String>) applied).lastKey();
    }

    /**
     * @param complete whether every known version must be applied ({@code validate}); {@code create} applies the
     *                 missing ones itself
     */
    private static void checkApplied(String schema, Map<Integer, String> applied, List<Migration> known,
            boolean complete) {
        int expected = known.get(known.size() - 1).version();
        for (Map.Entry<Integer, String> row : applied.entrySet()) {
            if (row.getKey() > expected) {
                throw StorageConfigException.of("storage.backend_config.schema", "Schema '" + schema + "' is at"
                        + " version " + ((TreeMap<Integer, String>) applied).lastKey() + ", newer than the version "
                        + expected + " this build of prodigy-storage knows: a newer release migrated it. Upgrade"
                        + " this program, or point {key} at another schema.");
            }
        }
        for (Migration m : known) {
            String checksum = applied.get(m.version());
            if (checksum == null) {
                if (complete) {
                    throw StorageConfigException.of("storage.backend_config.migrations", "Schema '" + schema
                            + "' is missing version " + m.version() + " (" + m.fileName() + ")"
                            + (applied.isEmpty() ? ": it has no " + HISTORY_TABLE + " table at all" : "")
                            + ", and {key} is 'validate', which changes nothing. Apply the file yourself (Flyway"
                            + " or psql with search_path set to the schema), or open once with migrations: create.");
                }
                continue;
            }
            if (!checksum.equals(m.checksum())) {
                throw StorageConfigException.of("storage.backend_config.schema", "Schema '" + schema + "' records"
                        + " version " + m.version() + " (" + m.fileName() + ") with a checksum that differs from"
                        + " this build's file: the schema was created by a different build or edited by hand."
                        + " Restore it, or point {key} at a fresh schema.");
            }
        }
    }

    /** Applied versions and their checksums, empty if the version table does not exist. */
    private static Map<Integer, String> applied(Connection c, String schema) throws SQLException {
        Map<Integer, String> out = new TreeMap<>();
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, quote(schema) + "." + HISTORY_TABLE);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return out;
                }
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, checksum FROM " + quote(schema) + "." + HISTORY_TABLE
                        + " ORDER BY version")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }

    /** The schema name as an SQL identifier (names are validated to {@code [a-z_][a-z0-9_]*} by the config). */
    static String quote(String schema) {
        return "\"" + schema + "\"";
    }
}
