package io.prodigy.storage.it;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.util.JedisURIHelper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The servers of the networked backends, found once per test JVM, for every test of this module.
 *
 * <ul>
 *   <li>PostgreSQL and Redis: a Testcontainers container when a Docker engine answers; otherwise the server named by
 *       {@code PRODIGY_IT_POSTGRES_URL} (a {@code jdbc:postgresql://host:port/db} URL as in storage-postgres, with
 *       {@code PRODIGY_IT_POSTGRES_USER} and {@code PRODIGY_IT_POSTGRES_PASSWORD}) or {@code PRODIGY_IT_REDIS_URL}
 *       ({@code redis://[:password@]host:port[/db]}); otherwise the machine's servers at {@code 127.0.0.1:5432} (user
 *       {@code postgres}, database {@code test}) and {@code 127.0.0.1:6379}.</li>
 *   <li>S3: the endpoint of {@code PRODIGY_IT_S3_ENDPOINT} (bucket {@code PRODIGY_IT_S3_BUCKET}, region
 *       {@code PRODIGY_IT_S3_REGION}, default us-east-1, credentials {@code PRODIGY_IT_S3_ACCESS_KEY_ID} and
 *       {@code PRODIGY_IT_S3_SECRET_ACCESS_KEY}, else the SDK's default chain); otherwise s3proxy started in this JVM
 *       on a free port of 127.0.0.1, which the CLI child processes reach over HTTP like any S3 endpoint.</li>
 * </ul>
 *
 * A server that does not answer fails the test under {@code CI=true} and skips it, saying why, otherwise.
 */
final class ItServers {

    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private ItServers() {}

    /** A PostgreSQL server; storage URLs name a schema on it. */
    record Postgres(String host, int port, String database, String user, String password) {

        /** The storage URL of {@code schema} on this server (password percent-encoded). */
        String url(String schema) {
            String auth = encode(user) + (password.isEmpty() ? "" : ":" + encode(password));
            return "postgresql://" + auth + "@" + host + ":" + port + "/" + database + "?schema=" + schema;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user,
                    password);
        }

        /** Drops {@code schema} and everything in it. */
        void dropSchema(String schema) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not drop the test schema " + schema + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "PostgreSQL " + user + "@" + host + ":" + port + "/" + database;
        }
    }

    /** A Redis server; storage URLs name a key prefix on it. */
    record Redis(String url) {

        String url(String prefix) {
            return url + "?prefix=" + encode(prefix);
        }

        /** Deletes every key of the store under {@code prefix} (its keys are {@code {prefix}…}). */
        void dropPrefix(String prefix) {
            try (Jedis j = connect()) {
                ScanParams match = new ScanParams().match("{" + prefix + "}*").count(1_000);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    var page = j.scan(cursor, match);
                    if (!page.getResult().isEmpty()) {
                        j.unlink(page.getResult().toArray(String[]::new));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }

        /** A connection as the backend makes it (RESP2, so Jedis does not warn about protocol negotiation). */
        Jedis connect() {
            URI uri = URI.create(url);
            return new Jedis(JedisURIHelper.getHostAndPort(uri), DefaultJedisClientConfig.builder()
                    .timeoutMillis(5_000).password(JedisURIHelper.getPassword(uri))
                    .database(JedisURIHelper.getDBIndex(uri)).ssl(uri.getScheme().equals("rediss")).resp2().build());
        }

        @Override
        public String toString() {
            return "Redis " + URI.create(url).getHost() + ":" + URI.create(url).getPort();
        }
    }

    /**
     * An S3 endpoint and bucket; storage URLs name a prefix in it. The credentials reach the CLI child processes as
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (a storage URL never carries them) and stores opened in
     * this JVM as backend options; {@code null} when the default chain supplies them.
     */
    record S3(String endpoint, String bucket, String region, String accessKeyId, String secretAccessKey) {

        String url(String prefix) {
            return "s3://" + bucket + "/" + prefix + "?endpoint=" + endpoint + "&region=" + region
                    + "&path_style=true";
        }

        Map<String, String> childEnvironment() {
            return accessKeyId == null ? Map.of("AWS_REGION", region) : Map.of("AWS_ACCESS_KEY_ID", accessKeyId,
                    "AWS_SECRET_ACCESS_KEY", secretAccessKey, "AWS_REGION", region);
        }

        S3Client client() {
            AwsCredentialsProvider credentials = accessKeyId == null ? DefaultCredentialsProvider.builder().build()
                    : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
            return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(region))
                    .forcePathStyle(true).credentialsProvider(credentials).httpClient(Apache5HttpClient.create())
                    .build();
        }

        /** Deletes every object under {@code prefix}. */
        void dropPrefix(String prefix) {
            try (S3Client s3 = client()) {
                for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))) {
                    List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
                            .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                    if (!keys.isEmpty()) {
                        s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(keys).build()));
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "S3 " + endpoint + " bucket " + bucket;
        }
    }

    /** A server or why there is none. */
    private record Found<T>(T server, String problem) {}

    private static final Lazy<Found<Postgres>> POSTGRES = new Lazy<>(ItServers::findPostgres);
    private static final Lazy<Found<Redis>> REDIS = new Lazy<>(ItServers::findRedis);
    private static final Lazy<Found<S3>> S3 = new Lazy<>(ItServers::findS3);

    static Postgres postgres() {
        return require(POSTGRES.get(), "PostgreSQL", "start it (127.0.0.1:5432, user postgres, database test), set"
                + " PRODIGY_IT_POSTGRES_URL, or run a Docker engine");
    }

    static Redis redis() {
        return require(REDIS.get(), "Redis", "start it (redis-server --port 6379 --save '' --appendonly no), set"
                + " PRODIGY_IT_REDIS_URL, or run a Docker engine");
    }

    static S3 s3() {
        return require(S3.get(), "S3", "check PRODIGY_IT_S3_ENDPOINT, PRODIGY_IT_S3_BUCKET and the credentials, or"
                + " unset PRODIGY_IT_S3_ENDPOINT to use s3proxy in the test JVM");
    }

    private static <T> T require(Found<T> found, String what, String remedy) {
        if (found.problem() != null) {
            String message = what + " for the integration tests is not reachable: " + found.problem() + ". " + remedy
                    + ".";
            if (CI) {
                throw new AssertionError(message + " (CI=true: a missing server is a failure, not a skip)");
            }
            Assumptions.abort(message);
        }
        return found.server();
    }

    private static Found<Postgres> findPostgres() {
        String env = System.getenv("PRODIGY_IT_POSTGRES_URL");
        Postgres server;
        if (env == null && dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-postgres-container"));
            server = new Postgres(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
                    container.getUsername(), container.getPassword());
        } else {
            URI uri = URI.create((env != null ? env : "jdbc:postgresql://127.0.0.1:5432/test").replaceFirst("^jdbc:",
                    ""));
            server = new Postgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1),
                    System.getenv().getOrDefault("PRODIGY_IT_POSTGRES_USER", "postgres"),
                    System.getenv().getOrDefault("PRODIGY_IT_POSTGRES_PASSWORD", ""));
        }
        try (Connection c = server.connect()) {
            return new Found<>(server, null);
        } catch (SQLException e) {
            return new Found<>(server, server + ": " + e.getMessage());
        }
    }

    private static Found<Redis> findRedis() {
        String env = System.getenv("PRODIGY_IT_REDIS_URL");
        Redis server;
        if (env == null && dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
                    .withExposedPorts(6379);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-redis-container"));
            server = new Redis("redis://" + container.getHost() + ":" + container.getMappedPort(6379));
        } else {
            server = new Redis(env != null ? env : "redis://127.0.0.1:6379");
        }
        try (Jedis j = server.connect()) {
            return "PONG".equals(j.ping()) ? new Found<>(server, null) : new Found<>(server, server + ": no PONG");
        } catch (JedisException e) {
            return new Found<>(server, server + ": " + e.getMessage());
        }
    }

    private static Found<S3> findS3() {
        String endpoint = System.getenv("PRODIGY_IT_S3_ENDPOINT");
        S3 server;
        if (endpoint != null && !endpoint.isBlank()) {
            server = new S3(endpoint, System.getenv("PRODIGY_IT_S3_BUCKET"),
                    System.getenv().getOrDefault("PRODIGY_IT_S3_REGION", "us-east-1"),
                    System.getenv("PRODIGY_IT_S3_ACCESS_KEY_ID"), System.getenv("PRODIGY_IT_S3_SECRET_ACCESS_KEY"));
            if (server.bucket() == null) {
                return new Found<>(server, "PRODIGY_IT_S3_ENDPOINT is set but PRODIGY_IT_S3_BUCKET is not");
            }
        } else {
            server = startS3Proxy();
        }
        try (S3Client s3 = server.client()) {
            try {
                s3.headBucket(r -> r.bucket(server.bucket()));
            } catch (NoSuchBucketException e) {
                s3.createBucket(r -> r.bucket(server.bucket()));
            }
            return new Found<>(server, null);
        } catch (SdkException e) {
            return new Found<>(server, server + ": " + e.getMessage());
        }
    }

    /** s3proxy on a free port of 127.0.0.1 over a transient in-memory blob store, stopped when the JVM exits. */
    private static S3 startS3Proxy() {
        String accessKey = "it-access-key";
        String secretKey = "it-secret-key-do-not-log";
        try {
            S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties()))
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30s: " + proxy.getState());
                }
                Thread.sleep(5);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.stop();
                } catch (Exception e) {
                    // the JVM is exiting; the transient store goes with it
                }
            }, "stop-s3proxy"));
            return new S3("http://127.0.0.1:" + proxy.getPort(), "prodigy-it", "us-east-1", accessKey, secretKey);
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy, the embedded S3 server, failed to start: " + e, e);
        }
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false; // asking Testcontainers would only log a page of errors
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Computed on first use, once. */
    private static final class Lazy<T> {
        private final Supplier<T> supplier;
        private T value;

        Lazy(Supplier<T> supplier) {
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
