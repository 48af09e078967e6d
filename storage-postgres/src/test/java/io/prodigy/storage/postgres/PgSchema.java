package io.prodigy.storage.postgres;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One schema per test class on the shared server, and one client (pool, listener) for the whole class: storages
 * opened by {@link #open} are views over it whose {@code close} closes only the view. The schema is dropped after the
 * class, so runs leave nothing behind. Register it as a {@code static} extension:
 * <pre>{@code @RegisterExtension static final PgSchema PG = PgSchema.serverClock();}</pre>
 */
final class PgSchema implements BeforeAllCallback, AfterAllCallback {

    /** The pool each test class shares: the concurrency suites run 16 threads, so a few wait for a connection. */
    static final int POOL_SIZE = 8;

    private final String clock;
    private String schema;
    private PgClient client;

    private PgSchema(String clock) {
        this.clock = clock;
    }

    static PgSchema serverClock() {
        return new PgSchema("server");
    }

    static PgSchema clientClock() {
        return new PgSchema("client");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replace("contracttest", "").replace("test", "");
        schema = ("t_" + name).substring(0, Math.min(40, name.length() + 2)) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        client = PgClient.open(PostgresConfig.bind(backendConfig()), POOL_SIZE, Duration.ofSeconds(30));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
            PgTestServer.get().dropSchema(schema);
        }
    }

    /**
     * {@code backend_config} of this class's schema. Its URL names the connections {@link #applicationName()}, so
     * that a test can find (and terminate) its own backends without touching other runs' on the same server.
     */
    Map<String, Object> backendConfig() {
        Map<String, Object> config = PgTestServer.get().backendConfig(schema);
        String url = (String) config.get("url");
        config.put("url", url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName());
        config.put("clock", clock);
        return config;
    }

    /** The {@code application_name} of this class's connections: unique to the schema, under 64 bytes. */
    String applicationName() {
        return "prodigy-test-" + schema;
    }

    /** A storage config for the provider, over this class's schema. */
    StorageConfig storageConfig() {
        return StorageConfig.forBackend("postgres").withBackendConfig(backendConfig());
    }

    /** A view over the class's shared client. */
    UnifiedStorage open(StorageContext context) {
        return new PostgresStorage(client, false, context);
    }

    String schema() {
        return schema;
    }

    PgClient client() {
        return client;
    }
}
