package io.prodigy.storage.postgres;

import io.prodigy.storage.testservers.PostgresServer;
import io.prodigy.storage.testservers.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PostgreSQL server of this module's tests, as {@link TestServers#postgres()} finds it (the
 * {@code PRODIGY_IT_POSTGRES_*} variables, a Docker container, or {@code 127.0.0.1:5432}; skipped, or failed under
 * {@code CI=true}, when it does not answer), plus what only these tests need: a store's {@code backend_config}.
 */
final class PgTestServer {

    private final PostgresServer server;
    final String url;
    final String user;
    final String password;

    private PgTestServer(PostgresServer server) {
        this.server = server;
        this.url = server.jdbcUrl();
        this.user = server.user();
        this.password = server.password();
    }

    /** The server, or the test is aborted (skipped) or failed as {@link TestServers} says. */
    static PgTestServer get() {
        return new PgTestServer(TestServers.postgres());
    }

    /** {@code backend_config} for a store in {@code schema}. */
    Map<String, Object> backendConfig(String schema) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", url);
        config.put("username", user);
        if (!password.isEmpty()) {
            config.put("password", password);
        }
        config.put("schema", schema);
        return config;
    }

    Connection connect() throws SQLException {
        return server.connect();
    }

    /** Drops {@code schema} and everything in it. */
    void dropSchema(String schema) {
        server.dropSchema(schema);
    }
}
