package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.postgres.PostgresConfig.ClockSource;
import io.prodigy.storage.postgres.PostgresConfig.Migrations;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding {@code backend_config}: defaults, every key, errors with key paths, and a password that never shows. */
class PostgresConfigTest {

    private static final String PASSWORD = "pw-Xq9-never-printed";

    @Test
    void defaultsPointAtALocalDatabaseWithServerTimeAndCreatedSchema() {
        PostgresConfig c = PostgresConfig.bind(Map.of());

        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/prodigy");
        assertThat(c.schema()).isEqualTo("prodigy");
        assertThat(c.migrations()).isEqualTo(Migrations.CREATE);
        assertThat(c.clock()).isEqualTo(ClockSource.SERVER);
        assertThat(c.notifications()).isTrue();
    }

    @Test
    void everyKeyBinds() {
        PostgresConfig c = PostgresConfig.bind(Map.of("host", "db.example.com", "port", 6543, "database", "jobs",
                "username", "agent", "password", PASSWORD, "schema", "team_a", "migrations", "validate",
                "clock", "client", "notifications", false));

        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/jobs");
        assertThat(c.username()).isEqualTo("agent");
        assertThat(c.password().reveal()).isEqualTo(PASSWORD);
        assertThat(c.schema()).isEqualTo("team_a");
        assertThat(c.migrations()).isEqualTo(Migrations.VALIDATE);
        assertThat(c.clock()).isEqualTo(ClockSource.CLIENT);
        assertThat(c.notifications()).isFalse();
    }

    @Test
    void aUrlExcludesHostPortAndDatabase() {
        StorageConfigException e = catchThrowableOfType(StorageConfigException.class, () -> PostgresConfig.bind(
                Map.of("url", "jdbc:postgresql://h/db", "host", "other")));

        assertThat(e.keyPath()).isEqualTo("storage.backend_config.url");
        assertThat(e.getMessage()).contains("either the JDBC URL or host, port and database");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThat(keyPathOf(Map.of("url", "postgres://h/db"))).isEqualTo("storage.backend_config.url");
        assertThat(keyPathOf(Map.of("port", 70_000))).isEqualTo("storage.backend_config.port");
        assertThat(keyPathOf(Map.of("schema", "Bad-Name"))).isEqualTo("storage.backend_config.schema");
        assertThat(keyPathOf(Map.of("migrations", "sometimes"))).isEqualTo("storage.backend_config.migrations");
        assertThat(keyPathOf(Map.of("clock", "sundial"))).isEqualTo("storage.backend_config.clock");
        assertThat(keyPathOf(Map.of("schmea", "x"))).isEqualTo("storage.backend_config.schmea");
    }

    @Test
    void anUnknownEnumValueListsTheChoices() {
        StorageConfigException e = catchThrowableOfType(StorageConfigException.class,
                () -> PostgresConfig.bind(Map.of("migrations", "sometimes")));

        assertThat(e.getMessage()).contains("create", "validate", "none");
    }

    @Test
    void thePasswordNeverAppearsInToStringNorInTheUrlShown() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", "jdbc:postgresql://h:5432/db?user=u&password=" + PASSWORD + "&ssl=true");
        raw.put("password", PASSWORD);
        PostgresConfig c = PostgresConfig.bind(raw);

        assertThat(c.toString()).doesNotContain(PASSWORD).contains("password=****").contains("ssl=true");
        assertThat(Endpoints.display(c.jdbcUrl())).doesNotContain(PASSWORD);
    }

    @Test
    void aBadPasswordTypeDoesNotEchoTheValue() {
        StorageConfigException e = catchThrowableOfType(StorageConfigException.class,
                () -> PostgresConfig.bind(Map.of("password", 12345)));

        assertThat(e.keyPath()).isEqualTo("storage.backend_config.password");
        assertThat(e.getMessage()).doesNotContain("12345");
    }

    private static String keyPathOf(Map<String, Object> raw) {
        return catchThrowableOfType(StorageConfigException.class, () -> PostgresConfig.bind(raw)).keyPath();
    }
}
