package io.prodigy.storage.testservers;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * A PostgreSQL server for tests. Each test works in a schema of its own and drops it afterwards
 * ({@link #dropSchema}).
 *
 * @param jdbcUrl  {@code jdbc:postgresql://host[:port]/database[?options]}
 * @param user     the user to connect as
 * @param password its password, empty for none (trust authentication); never in {@link #toString}
 */
public record PostgresServer(String jdbcUrl, String user, String password) {

    public PostgresServer {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** The host of {@link #jdbcUrl}. */
    public String host() {
        return uri().getHost();
    }

    /** The port of {@link #jdbcUrl}, 5432 when it names none. */
    public int port() {
        return uri().getPort() < 0 ? 5432 : uri().getPort();
    }

    /** The database of {@link #jdbcUrl}. */
    public String database() {
        return uri().getPath().substring(1);
    }

    /**
     * Drops {@code schema} and everything in it; nothing when it does not exist.
     *
     * @throws IllegalStateException when the server refuses, saying which schema
     */
    public void dropSchema(String schema) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the test schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private URI uri() {
        return URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Where the server is, without the password. */
    @Override
    public String toString() {
        return "PostgreSQL " + user + "@" + host() + ":" + port() + "/" + database();
    }
}
