package io.prodigy.storage.s3;

import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.tck.SharedResources;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * The S3 server the tests use, one per test JVM: s3proxy embedded in this JVM (transient, in-memory blob store, whose
 * create-only writes are atomic), or a real endpoint named by {@code PRODIGY_IT_S3_ENDPOINT} with
 * {@code PRODIGY_IT_S3_BUCKET}, {@code PRODIGY_IT_S3_REGION} (default us-east-1) and credentials from
 * {@code PRODIGY_IT_S3_ACCESS_KEY_ID}/{@code PRODIGY_IT_S3_SECRET_ACCESS_KEY} (else the SDK's default chain).
 *
 * <p>Each test class works under its own key prefix ({@link #namespace}), so classes never see each other's objects
 * and a long-lived bucket needs no clean-up between runs. Embedded s3proxy needs nothing installed, so the tests never
 * skip: if it cannot start, they fail.
 */
public final class S3TestServer {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-do-not-log";
    private static final String BUCKET = "prodigy-it";

    private S3TestServer() {}

    /** The embedded server, shared by every test class of the JVM and stopped when it exits. */
    private record Embedded(S3Proxy proxy, String endpoint) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            proxy.stop();
        }
    }

    /** The endpoint URL, starting the embedded server on first use. */
    public static String endpoint() {
        String child = System.getProperty("prodigy.it.s3.endpoint");
        if (child != null) {
            return child; // a child JVM of a multi-process test: the parent's server
        }
        String external = System.getenv("PRODIGY_IT_S3_ENDPOINT");
        if (external != null && !external.isBlank()) {
            return external;
        }
        return SharedResources.get("s3proxy", S3TestServer::start).endpoint();
    }

    private static Embedded start() {
        try {
            Properties p = new Properties();
            String provider = System.getProperty("s3proxy.provider", "transient");
            if (provider.equals("filesystem")) {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("s3proxy");
                p.setProperty("jclouds.filesystem.basedir", dir.toString());
            }
            S3Proxy started = S3Proxy.builder()
                    .blobStore(BlobStores.create(provider, p))
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            started.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"STARTED".equals(started.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30s: " + started.getState());
                }
                Thread.sleep(5);
            }
            return new Embedded(started, "http://127.0.0.1:" + started.getPort());
        } catch (Exception e) {
            throw new IllegalStateException("The embedded S3 server (s3proxy) failed to start: " + e, e);
        }
    }

    public static boolean external() {
        String external = System.getenv("PRODIGY_IT_S3_ENDPOINT");
        return external != null && !external.isBlank();
    }

    /** A fresh prefix for one test class (or one test): {@code it/<name>-<8 hex>/}. */
    public static String namespace(String name) {
        return "it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    /** {@code backend_config} for {@code prefix} on the test server. */
    public static Map<String, Object> backendConfig(String prefix) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (external()) {
            c.put("bucket", System.getenv("PRODIGY_IT_S3_BUCKET"));
            c.put("endpoint", endpoint());
            c.put("region", System.getenv().getOrDefault("PRODIGY_IT_S3_REGION", "us-east-1"));
            if (System.getenv("PRODIGY_IT_S3_ACCESS_KEY_ID") != null) {
                c.put("access_key_id", System.getenv("PRODIGY_IT_S3_ACCESS_KEY_ID"));
                c.put("secret_access_key", System.getenv("PRODIGY_IT_S3_SECRET_ACCESS_KEY"));
            }
        } else {
            c.put("bucket", BUCKET);
            c.put("endpoint", endpoint());
            c.put("path_style", true);
            c.put("access_key_id", ACCESS_KEY);
            c.put("secret_access_key", SECRET_KEY);
            c.put("create_bucket", true);
        }
        c.put("prefix", prefix);
        c.put("poll_interval", "50ms");
        return c;
    }

    /** Retries fast enough for tests: 3 retries from 10 ms. */
    public static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(200),
            2.0, true);

    /** A storage configuration for {@code prefix} on the test server. */
    public static StorageConfig config(String prefix) {
        return StorageConfig.forBackend("s3").withBackendConfig(backendConfig(prefix))
                .withRetryPolicy(FAST_RETRIES).withTimeout(Duration.ofSeconds(20));
    }
}
