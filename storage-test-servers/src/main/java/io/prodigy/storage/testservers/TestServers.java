package io.prodigy.storage.testservers;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The servers the tests of the distributed backends run against, each found once per test JVM, on first use:
 *
 * <ul>
 *   <li>{@link #postgres()}: the server of {@code PRODIGY_IT_POSTGRES_URL} (a {@code jdbc:postgresql://host:port/db}
 *       URL, with {@code PRODIGY_IT_POSTGRES_USER}, default {@code postgres}, and {@code PRODIGY_IT_POSTGRES_PASSWORD},
 *       default empty); otherwise a Testcontainers {@code postgres:15-alpine} when a Docker engine answers; otherwise
 *       the machine's server at {@code 127.0.0.1:5432}, user {@code postgres}, database {@code test}.</li>
 *   <li>{@link #redis()}: the server of {@code PRODIGY_IT_REDIS_URL} ({@code redis://[:password@]host:port[/db]});
 *       otherwise a Testcontainers {@code redis:7-alpine} when a Docker engine answers; otherwise the machine's
 *       server at {@code redis://127.0.0.1:6379}.</li>
 *   <li>{@link #s3()}: the endpoint of {@code PRODIGY_IT_S3_ENDPOINT} (bucket {@code PRODIGY_IT_S3_BUCKET}, region
 *       {@code PRODIGY_IT_S3_REGION}, default us-east-1, credentials {@code PRODIGY_IT_S3_ACCESS_KEY_ID} and
 *       {@code PRODIGY_IT_S3_SECRET_ACCESS_KEY}, else the SDK's default chain); otherwise, in a child JVM a test
 *       started with {@code -D}{@value #S3_ENDPOINT_PROPERTY}, the parent's s3proxy; otherwise s3proxy started in
 *       this JVM on a free port of 127.0.0.1 (a transient in-memory blob store, or the file system with
 *       {@code -Ds3proxy.provider=filesystem}), whose bucket {@value S3Server#EMBEDDED_BUCKET} is created.</li>
 * </ul>
 *
 * <p>The one rule for a server that does not answer: the test fails under {@code CI=true} and is skipped otherwise,
 * with a message that says what was tried and how to start the server. Embedded s3proxy needs nothing installed, so
 * when it cannot start the test fails everywhere. Containers and s3proxy stop when the JVM exits; a test drops what it
 * made with {@link PostgresServer#dropSchema}, {@link RedisServer#deletePrefix} or {@link S3Server#deletePrefix}.
 */
public final class TestServers {

    /** The system property that points a child JVM of a test at the parent's embedded s3proxy (its endpoint URL). */
    public static final String S3_ENDPOINT_PROPERTY = "prodigy.it.s3.endpoint";

    static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

    private static final Once<Found<PostgresServer>> POSTGRES = new Once<>(TestServers::findPostgres);
    private static final Once<Found<RedisServer>> REDIS = new Once<>(TestServers::findRedis);
    private static final Once<Found<S3Server>> S3 = new Once<>(TestServers::findS3);

    private TestServers() {}

    /** The PostgreSQL server, or the calling test is skipped or failed as the class comment says. */
    public static PostgresServer postgres() {
        return require(POSTGRES.get(), "PostgreSQL", "Start it (127.0.0.1:5432, user postgres, database test), set"
                + " PRODIGY_IT_POSTGRES_URL, or run a Docker engine");
    }

    /** The Redis server, or the calling test is skipped or failed as the class comment says. */
    public static RedisServer redis() {
        return require(REDIS.get(), "Redis", "Start it (redis-server --port 6379 --save '' --appendonly no), set"
                + " PRODIGY_IT_REDIS_URL, or run a Docker engine");
    }

    /** The S3 endpoint, its bucket existing, or the calling test is skipped or failed as the class comment says. */
    public static S3Server s3() {
        return require(S3.get(), "S3", "Check PRODIGY_IT_S3_ENDPOINT, PRODIGY_IT_S3_BUCKET and the credentials, or"
                + " unset PRODIGY_IT_S3_ENDPOINT to use s3proxy in the test JVM");
    }

    /** A server, or what went wrong; {@code fatal} when even outside CI it is a failure, not a skip. */
    private record Found<T>(T server, String problem, boolean fatal, Throwable cause) {
        static <T> Found<T> of(T server) {
            return new Found<>(server, null, false, null);
        }

        static <T> Found<T> missing(T server, String problem) {
            return new Found<>(server, problem, false, null);
        }
    }

    private static <T> T require(Found<T> found, String what, String remedy) {
        if (found.problem() == null) {
            return found.server();
        }
        String message = what + " for the integration tests is not reachable: " + found.problem() + ". " + remedy
                + ".";
        if (found.fatal()) {
            throw new AssertionError(message + " (it runs in the test JVM and needs nothing installed, so this is a"
                    + " failure, not a skip)", found.cause());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: a missing server is a failure, not a skip)");
        }
        return Assumptions.abort(message);
    }

    private static Found<PostgresServer> findPostgres() {
        String env = System.getenv("PRODIGY_IT_POSTGRES_URL");
        PostgresServer server;
        if (env == null && Docker.available()) {
            try {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
                Docker.start(container, "postgres");
                server = new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            } catch (RuntimeException e) {
                return Found.missing(null, "the postgres:15-alpine container did not start: " + e);
            }
        } else {
            server = new PostgresServer(env != null ? env : DEFAULT_POSTGRES_URL,
                    System.getenv().getOrDefault("PRODIGY_IT_POSTGRES_USER", "postgres"),
                    System.getenv().getOrDefault("PRODIGY_IT_POSTGRES_PASSWORD", ""));
        }
        try (Connection c = server.connect()) {
            return Found.of(server);
        } catch (SQLException e) {
            return Found.missing(server, server + ": " + e.getMessage());
        }
    }

    private static Found<RedisServer> findRedis() {
        String env = System.getenv("PRODIGY_IT_REDIS_URL");
        RedisServer server;
        if (env == null && Docker.available()) {
            try {
                GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
                        .withExposedPorts(6379);
                Docker.start(container, "redis");
                server = new RedisServer("redis://" + container.getHost() + ":" + container.getMappedPort(6379));
            } catch (RuntimeException e) {
                return Found.missing(null, "the redis:7-alpine container did not start: " + e);
            }
        } else {
            server = new RedisServer(env != null ? env : DEFAULT_REDIS_URL);
        }
        return server.answersPing() ? Found.of(server) : Found.missing(server, server + " does not answer PING");
    }

    private static Found<S3Server> findS3() {
        String env = System.getenv("PRODIGY_IT_S3_ENDPOINT");
        String parent = System.getProperty(S3_ENDPOINT_PROPERTY);
        S3Server server;
        if (env != null && !env.isBlank()) {
            server = new S3Server(env, System.getenv("PRODIGY_IT_S3_BUCKET"),
                    System.getenv().getOrDefault("PRODIGY_IT_S3_REGION", "us-east-1"),
                    System.getenv("PRODIGY_IT_S3_ACCESS_KEY_ID"), System.getenv("PRODIGY_IT_S3_SECRET_ACCESS_KEY"),
                    false);
            if (server.bucket() == null) {
                return Found.missing(server, "PRODIGY_IT_S3_ENDPOINT is set but PRODIGY_IT_S3_BUCKET is not");
            }
        } else if (parent != null) {
            server = EmbeddedS3.at(parent);
        } else {
            try {
                server = EmbeddedS3.start();
            } catch (Exception e) {
                return new Found<>(null, "s3proxy, the embedded S3 server, failed to start: " + e, true, e);
            }
        }
        try (S3Client s3 = server.client()) {
            try {
                s3.headBucket(r -> r.bucket(server.bucket()));
            } catch (NoSuchBucketException e) {
                s3.createBucket(r -> r.bucket(server.bucket()));
            }
            return Found.of(server);
        } catch (SdkException e) {
            return new Found<>(server, server + ": " + e.getMessage(), server.embedded(), e);
        }
    }

    /** Computed on first use, once per JVM, even when test classes run in parallel. */
    private static final class Once<T> {
        private final Supplier<T> supplier;
        private T value;

        Once(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        synchronized T get() {
            if (value == null) {
                value = supplier.get();
            }
            return value;
        }
    }
}
