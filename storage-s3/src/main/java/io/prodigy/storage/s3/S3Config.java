package io.prodigy.storage.s3;

import io.prodigy.storage.config.Secret;
import io.prodigy.storage.config.StorageConfigException;
import java.net.URI;
import java.time.Duration;

/**
 * {@code storage.backend_config} of the S3 backend (docs/s3.md, "Configuration").
 *
 * <p>Bind it with {@code ConfigBinder.bind(config.backendConfig(), S3Config.class, S3Config.DEFAULT,
 * "storage.backend_config")}, then {@link #validate(String)}: unknown keys and bad values fail with their key path.
 * {@code toString} masks both credentials.
 *
 * @param bucket           {@code bucket}: the bucket (required)
 * @param prefix           {@code prefix}: key prefix of this store inside the bucket, so one bucket holds many stores
 *                         (tenants, environments, test classes); default none
 * @param region           {@code region}: default {@code us-east-1}
 * @param endpoint         {@code endpoint}: URL of an S3-compatible server (MinIO, s3proxy, …); default AWS
 * @param pathStyle        {@code path_style}: address the bucket in the path, not the host name (most
 *                         S3-compatible servers need it); default false
 * @param accessKeyId      {@code access_key_id}: static credentials; without them the SDK's default chain is used
 *                         (environment, profile, container or instance role)
 * @param secretAccessKey  {@code secret_access_key}: the secret of {@code access_key_id}
 * @param createBucket     {@code create_bucket}: create the bucket at open if it is missing; default false
 * @param compactionGrace  {@code compaction_grace}: how long a superseded generation is kept before it may be
 *                         deleted (docs/s3.md, "Compaction"); default 1h, at least 1s
 * @param cacheMaxBytes    {@code cache_max_bytes}: memory for cached immutable objects; default 67108864 (64 MiB)
 * @param pollInterval     {@code poll_interval}: how often a subscription re-reads a job's log when nothing in this
 *                         process appended; default 500ms
 */
public record S3Config(
        String bucket, String prefix, String region, String endpoint, boolean pathStyle, Secret accessKeyId,
        Secret secretAccessKey, boolean createBucket, Duration compactionGrace, long cacheMaxBytes,
        Duration pollInterval) {

    public static final S3Config DEFAULT = new S3Config(null, "", "us-east-1", null, false, null, null, false,
            Duration.ofHours(1), 64L << 20, Duration.ofMillis(500));

    public S3Config {
        prefix = prefix == null ? "" : prefix;
    }

    /**
     * Checks what binding cannot: required keys, key syntax, ranges.
     *
     * @param keyPrefix the key path of this record, for example {@code storage.backend_config}
     * @throws StorageConfigException naming the key
     */
    public S3Config validate(String keyPrefix) {
        String at = keyPrefix + ".";
        if (bucket == null || bucket.isBlank()) {
            throw StorageConfigException.of(at + "bucket", "Missing {key}: name the S3 bucket the store lives in.");
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,254}")) {
            throw StorageConfigException.invalidValue(at + "bucket", bucket,
                    "a bucket name of 3 to 255 lower-case letters, digits, '.', '-' or '_'");
        }
        if (prefix.startsWith("/") || prefix.contains("//") || prefix.contains("..")) {
            throw StorageConfigException.invalidValue(at + "prefix", prefix,
                    "a key prefix such as 'prodigy/prod' (no leading '/', no '//' or '..')");
        }
        if (region == null || region.isBlank()) {
            throw StorageConfigException.invalidValue(at + "region", region, "an AWS region such as us-east-1");
        }
        if (endpoint != null) {
            try {
                URI uri = URI.create(endpoint);
                if (uri.getScheme() == null || uri.getHost() == null
                        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                if (uri.getUserInfo() != null) {
                    throw StorageConfigException.of(at + "endpoint", "Invalid {key}: put credentials in access_key_id"
                            + " and secret_access_key, not in the URL.");
                }
            } catch (IllegalArgumentException e) {
                throw StorageConfigException.invalidValue(at + "endpoint", endpoint,
                        "an http(s) URL such as http://127.0.0.1:9000");
            }
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            String missing = accessKeyId == null ? "access_key_id" : "secret_access_key";
            throw StorageConfigException.of(at + missing, "Missing {key}: give both access_key_id and"
                    + " secret_access_key, or neither to use the SDK's default credential chain.");
        }
        if (compactionGrace == null || compactionGrace.compareTo(Duration.ofSeconds(1)) < 0) {
            throw StorageConfigException.invalidValue(at + "compaction_grace", compactionGrace,
                    "a duration of at least 1s (default 1h)");
        }
        if (cacheMaxBytes < 0) {
            throw StorageConfigException.invalidValue(at + "cache_max_bytes", cacheMaxBytes,
                    "a whole number of bytes, 0 or more");
        }
        if (pollInterval == null || pollInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw StorageConfigException.invalidValue(at + "poll_interval", pollInterval,
                    "a duration of at least 10ms");
        }
        return this;
    }

    /** The prefix as a key prefix: empty, or ending with exactly one {@code /}. */
    String keyPrefix() {
        if (prefix.isEmpty()) {
            return "";
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** A copy with another prefix (for tests and tenants). */
    public S3Config withPrefix(String newPrefix) {
        return new S3Config(bucket, newPrefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                createBucket, compactionGrace, cacheMaxBytes, pollInterval);
    }
}
