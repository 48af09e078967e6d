package io.prodigy.storage.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.Secret;
import io.prodigy.storage.config.StorageConfigException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code storage.backend_config} of the PostgreSQL backend, bound with {@link ConfigBinder} (unknown keys and bad
 * values fail with their key path). {@code connection_pool_size} and {@code timeout} come from the {@code storage:}
 * block, not from here.
 *
 * @param url        a JDBC URL ({@code jdbc:postgresql://host:5432/db?sslmode=require}); give either this or
 *                   {@code host}/{@code port}/{@code database}
 * @param host       server host when no {@code url} is given; default {@code localhost}
 * @param port       server port when no {@code url} is given; default 5432
 * @param database   database name when no {@code url} is given; default {@code prodigy}
 * @param username   database user; default {@code prodigy}
 * @param password   the user's password (a secret: never printed, logged or reported); default none
 * @param schema     the schema holding this store's tables; one server holds many stores in different schemas.
 *                   Lower-case letters, digits and {@code _}, starting with a letter or {@code _}; default
 *                   {@code prodigy}
 * @param migrations {@code create} (default): create the schema and apply missing versions at open, under an
 *                   advisory lock; {@code validate}: fail at open unless the schema is at exactly this build's
 *                   version; {@code none}: trust whoever manages the schema (Flyway, Liquibase, a DBA)
 * @param clock      whose clock decides lease and claim expiry and stamps records: {@code server} (default, the
 *                   database's {@code statement_timestamp()}, one clock for every host) or {@code client} (the
 *                   opening process's clock; for tests that move time)
 * @param notifications wake subscribers with {@code LISTEN/NOTIFY} (default true); polling stays the source of truth,
 *                   so {@code false} only delays delivery by up to the poll interval (use it behind PgBouncer in
 *                   transaction pooling, where {@code LISTEN} does not work)
 */
public record PostgresConfig(
        String url, String host, Integer port, String database, String username, Secret password, String schema,
        Migrations migrations, ClockSource clock, boolean notifications) {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Default schema name. */
    public static final String DEFAULT_SCHEMA = "prodigy";

    public static final PostgresConfig DEFAULT =
            new PostgresConfig(null, null, null, null, "prodigy", null, DEFAULT_SCHEMA, Migrations.CREATE,
                    ClockSource.SERVER, true);

    /** What opening does to the schema. */
    public enum Migrations {
        @JsonProperty("create") CREATE,
        @JsonProperty("validate") VALIDATE,
        @JsonProperty("none") NONE
    }

    /** Whose clock decides expiry and store stamps. */
    public enum ClockSource {
        @JsonProperty("server") SERVER,
        @JsonProperty("client") CLIENT
    }

    public PostgresConfig {
        if (url != null) {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw StorageConfigException.of("url", "Invalid value for {key}: expected a JDBC URL starting with"
                        + " 'jdbc:postgresql:', for example jdbc:postgresql://db.example.com:5432/prodigy.");
            }
            if (host != null || port != null || database != null) {
                throw StorageConfigException.of("url", "Both {key} and host/port/database are set: give either"
                        + " the JDBC URL or host, port and database, not both.");
            }
        }
        if (host != null && host.isBlank()) {
            throw StorageConfigException.invalidValue("host", host, "a host name or address");
        }
        if (port != null && (port < 1 || port > 65_535)) {
            throw StorageConfigException.invalidValue("port", port, "a port number from 1 to 65535");
        }
        if (database != null && database.isBlank()) {
            throw StorageConfigException.invalidValue("database", database, "a database name");
        }
        if (username == null || username.isBlank()) {
            throw StorageConfigException.invalidValue("username", username, "a database user name");
        }
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw StorageConfigException.invalidValue("schema", schema, "a schema name of lower-case letters,"
                    + " digits and '_' that starts with a letter or '_' (at most 63 characters)");
        }
        migrations = migrations == null ? Migrations.CREATE : migrations;
        clock = clock == null ? ClockSource.SERVER : clock;
    }

    /** Binds {@code raw} ({@code backend_config}) over the defaults. */
    public static PostgresConfig bind(Map<String, ?> raw) {
        return ConfigBinder.bind(raw, PostgresConfig.class, DEFAULT, "storage.backend_config");
    }

    /** The JDBC URL to connect to: {@code url}, or one built from host, port and database. */
    public String jdbcUrl() {
        if (url != null) {
            return url;
        }
        return "jdbc:postgresql://" + (host == null ? "localhost" : host) + ":" + (port == null ? 5432 : port) + "/"
                + (database == null ? "prodigy" : database);
    }

    /** The configuration with the password masked and any credentials in the URL removed. */
    @Override
    public String toString() {
        return "PostgresConfig[url=" + Endpoints.display(jdbcUrl()) + ", username=" + username + ", password="
                + (password == null ? "(none)" : password) + ", schema=" + schema + ", migrations="
                + migrations.name().toLowerCase(java.util.Locale.ROOT) + ", clock="
                + clock.name().toLowerCase(java.util.Locale.ROOT) + ", notifications=" + notifications + "]";
    }
}
