package io.prodigy.storage.s3;

import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.testservers.S3Server;
import io.prodigy.storage.testservers.TestServers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The S3 server of this module's tests, as {@link TestServers#s3()} finds it: s3proxy embedded in this JVM (or, in a
 * child JVM started with {@code -Dprodigy.it.s3.endpoint}, the parent's), or a real endpoint named by
 * {@code PRODIGY_IT_S3_ENDPOINT} and the other {@code PRODIGY_IT_S3_*} variables. Plus what only these tests need:
 * a store's {@code backend_config} and configuration.
 *
 * <p>Each test class works under its own key prefix ({@link #namespace}), so classes never see each other's objects
 * and a long-lived bucket needs no clean-up between runs. Embedded s3proxy needs nothing installed, so the tests never
 * skip: if it cannot start, they fail.
 */
public final class S3TestServer {

    public static final String ACCESS_KEY = S3Server.EMBEDDED_ACCESS_KEY;
    public static final String SECRET_KEY = S3Server.EMBEDDED_SECRET_KEY;

    private S3TestServer() {}

    /** The endpoint URL, starting the embedded server on first use. */
    public static String endpoint() {
        return TestServers.s3().endpoint();
    }

    public static boolean external() {
        return !TestServers.s3().embedded();
    }

    /** A fresh prefix for one test class (or one test): {@code it/<name>-<8 hex>/}. */
    public static String namespace(String name) {
        return "it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    /** {@code backend_config} for {@code prefix} on the test server. */
    public static Map<String, Object> backendConfig(String prefix) {
        S3Server s3 = TestServers.s3();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("bucket", s3.bucket());
        c.put("endpoint", s3.endpoint());
        if (s3.embedded()) {
            c.put("path_style", true);
            c.put("access_key_id", s3.accessKeyId());
            c.put("secret_access_key", s3.secretAccessKey());
            c.put("create_bucket", true);
        } else {
            c.put("region", s3.region());
            if (s3.accessKeyId() != null) {
                c.put("access_key_id", s3.accessKeyId());
                c.put("secret_access_key", s3.secretAccessKey());
            }
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
