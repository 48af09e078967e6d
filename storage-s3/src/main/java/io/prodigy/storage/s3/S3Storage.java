package io.prodigy.storage.s3;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.support.BackendStorage;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.lease.LeaseLockService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 backend: every store of {@link UnifiedStorage} kept as objects in one bucket under one key prefix, with
 * create-only writes ({@code If-None-Match: *}) as the only concurrency primitive (docs/s3.md).
 *
 * <p>Opening checks the bucket (HeadBucket), creates it if asked, and writes or reads the layout marker with a
 * create-only PUT. A server that ignores {@code If-None-Match} is caught there (the second create of the marker
 * succeeds instead of answering 412) and refused: without atomic create-only writes nothing here is safe.
 */
final class S3Storage extends BackendStorage {

    static final String BACKEND = "s3";

    /**
     * Durable (S3 acknowledges a PUT once stored redundantly), shared by every process that opens the same bucket
     * and prefix, on the client clock (S3 has none an operation can use), and idempotent appends over the last
     * {@link io.prodigy.storage.event.EventStorage#IDEMPOTENCY_WINDOW} sequences of a job (docs/s3.md, "Retries").
     * Not {@link Capability#ATOMIC_FENCING}: a fence is checked right before the write it guards, not with it
     * (docs/s3.md, "Fencing").
     */
    static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.DURABLE,
            Capability.MULTI_PROCESS, Capability.CLIENT_CLOCK, Capability.IDEMPOTENT_APPEND));

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final S3Client client;
    private final RequestCounter requests;
    private final Backend backend;
    private final S3SessionStorage sessions;
    private final S3EventStorage events;
    private final S3CheckpointStorage checkpoints;
    private final S3DlqStorage dlq;
    private final S3WorkflowStorage workflows;
    private final LeaseLockService locks;

    private S3Storage(S3Client client, RequestCounter requests, Backend backend) {
        this.client = client;
        this.requests = requests;
        this.backend = backend;
        this.locks = new LeaseLockService(new S3LeaseStore(backend));
        this.sessions = new S3SessionStorage(backend, locks);
        this.events = new S3EventStorage(backend, locks);
        this.checkpoints = new S3CheckpointStorage(backend, locks);
        this.dlq = new S3DlqStorage(backend, locks);
        this.workflows = new S3WorkflowStorage(backend, locks);
        useStores(new StoreSet(sessions, events, checkpoints, dlq, workflows, locks));
    }

    /**
     * Opens a storage; {@code extra} interceptors see every request (tests inject faults and count requests with
     * them). Closes the client if opening fails.
     */
    static S3Storage open(S3Config config, StorageConfig storage, StorageContext context,
            List<ExecutionInterceptor> extra) {
        RequestCounter requests = new RequestCounter();
        S3Client client = client(config, storage, requests, extra);
        try {
            ObjectStore store = new ObjectStore(client, config.bucket());
            Layout layout = new Layout(config.keyPrefix());
            checkBucket(client, config);
            checkLayoutAndConditionalWrites(store, layout, config);
            Backend backend = new Backend(store, new ObjectCache(config.cacheMaxBytes()), layout, config,
                    context.clock(), Math.min(8, storage.connectionPoolSize()));
            LOG.debug("Opened S3 storage: bucket={}, prefix='{}', endpoint={}", config.bucket(), config.prefix(),
                    config.endpoint() == null ? "AWS" : config.endpoint());
            return new S3Storage(client, requests, backend);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static S3Client client(S3Config config, StorageConfig storage, RequestCounter requests,
            List<ExecutionInterceptor> extra) {
        RetryPolicy policy = storage.retryPolicy();
        BackoffStrategy backoff = attempt -> delay(policy, attempt);
        RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(policy.maxRetries() + 1)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                // The token bucket would stop retrying after a burst of failures; retry_policy alone decides.
                .circuitBreakerEnabled(false)
                .build();
        Duration timeout = storage.timeout();
        Duration attempt = timeout.dividedBy(policy.maxRetries() + 1L);
        if (attempt.compareTo(Duration.ofMillis(100)) < 0) {
            attempt = Duration.ofMillis(100);
        }
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(retry)
                .apiCallTimeout(timeout)
                .apiCallAttemptTimeout(attempt)
                .addExecutionInterceptor(requests);
        extra.forEach(override::addExecutionInterceptor);
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .credentialsProvider(credentials(config))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(storage.connectionPoolSize()))
                .overrideConfiguration(override.build());
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        try {
            return builder.build();
        } catch (SdkException | IllegalArgumentException e) {
            throw StorageConfigException.of("storage.backend_config", "Invalid S3 client configuration at {key}: "
                    + e.getMessage());
        }
    }

    private static AwsCredentialsProvider credentials(S3Config config) {
        if (config.accessKeyId() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId().reveal(),
                    config.secretAccessKey().reveal()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Duration delay(RetryPolicy policy, int attempt) {
        if (policy.maxRetries() == 0) {
            return Duration.ZERO;
        }
        Duration d = policy.delayBefore(Math.max(1, attempt));
        if (policy.jitter() && !d.isZero()) {
            long nanos = d.toNanos();
            d = Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
        }
        return d;
    }

    private static final String KEYS = "storage.backend_config.";

    /** HeadBucket; creates the bucket if it is missing and {@code create_bucket} is on. */
    private static void checkBucket(S3Client client, S3Config config) {
        try {
            client.headBucket(b -> b.bucket(config.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                if (!config.createBucket()) {
                    throw StorageConfigException.of(KEYS + "bucket", "S3 bucket '" + config.bucket() + "' (at {key})"
                            + " does not exist. Create it, or set " + KEYS + "create_bucket to true.");
                }
                createBucket(client, config);
                return;
            }
            if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw StorageConfigException.of(KEYS + "access_key_id", "S3 denied access to bucket '"
                        + config.bucket() + "' (HTTP " + e.statusCode() + "): check the credentials ({key} and"
                        + " secret_access_key, or the default credential chain) and the bucket policy.");
            }
            if (e.statusCode() == 301 || e.statusCode() == 400) {
                throw StorageConfigException.of(KEYS + "region", "S3 bucket '" + config.bucket() + "' is not in region"
                        + " '" + config.region() + "' (at {key}), or the endpoint is wrong (HTTP " + e.statusCode()
                        + ").");
            }
            throw new StorageUnavailableException("S3 bucket '" + config.bucket() + "' cannot be checked (HTTP "
                    + e.statusCode() + ").", e);
        } catch (SdkException e) {
            throw new StorageUnavailableException("S3 endpoint " + (config.endpoint() == null ? "(AWS)"
                    : config.endpoint()) + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private static void createBucket(S3Client client, S3Config config) {
        try {
            client.createBucket(b -> {
                b.bucket(config.bucket());
                if (!config.region().equals("us-east-1")) {
                    b.createBucketConfiguration(c -> c.locationConstraint(
                            BucketLocationConstraint.fromValue(config.region())));
                }
            });
            LOG.info("Created S3 bucket '{}'", config.bucket());
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (!"BucketAlreadyOwnedByYou".equals(code)) {
                throw new StorageUnavailableException("S3 bucket '" + config.bucket() + "' cannot be created (HTTP "
                        + e.statusCode() + " " + code + ").", e);
            }
        }
    }

    /**
     * Creates the layout marker create-only. If this call created it, a second create must answer 412: otherwise
     * the server ignores {@code If-None-Match} and the store is refused. If it existed (412 already proves the
     * server honours the header), its version must be this code's.
     */
    private static void checkLayoutAndConditionalWrites(ObjectStore store, Layout layout, S3Config config) {
        byte[] marker = ("{\"layout\":" + Layout.VERSION + "}").getBytes(StandardCharsets.UTF_8);
        if (store.createIfAbsent(layout.marker(), marker, Map.of()) != null) {
            if (store.createIfAbsent(layout.marker(), marker, Map.of()) != null) {
                throw StorageConfigException.of(KEYS + "endpoint", "The S3 server at "
                        + (config.endpoint() == null ? "(AWS)" : config.endpoint()) + " (at {key}) ignores"
                        + " conditional writes: a second PUT with If-None-Match: * of '" + layout.marker()
                        + "' succeeded instead of answering 412. This backend builds every concurrent write on"
                        + " that header, so it refuses to run on this server. Use AWS S3, MinIO or another server"
                        + " with conditional writes.");
            }
            return;
        }
        byte[] stored = store.get(layout.marker()).orElse(marker);
        var node = Envelope.Codec.read(layout.marker(), stored, com.fasterxml.jackson.databind.JsonNode.class);
        int version = node.path("layout").asInt(-1);
        if (version != Layout.VERSION) {
            String why = version == 1
                    ? " (written by a development build of 0.1.0-SNAPSHOT before names were encoded in keys and"
                    + " listings got an order index; no released version wrote it, so it is not converted)"
                    : "";
            throw new CorruptionException("S3 prefix '" + config.prefix() + "' of bucket '" + config.bucket()
                    + "' holds layout version " + version + why + ", this code reads version " + Layout.VERSION
                    + ". Use a matching version of prodigy-storage, or another prefix.");
        }
    }

    @Override
    public String backendType() {
        return BACKEND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The client clock (S3 has none an operation can read), in microseconds. */
    @Override
    public Instant now() {
        return backend.now();
    }

    /** The object store (tests and probes in this package). */
    ObjectStore objectStore() {
        return backend.store;
    }

    /** Requests sent so far by operation (retries included); also in {@link #health()}'s details. */
    Map<String, Long> requestCounts() {
        return requests.snapshot();
    }

    /** HeadBucket, timed. Details name the bucket, prefix and endpoint (never credentials) and the request counts. */
    @Override
    public HealthReport health() {
        long started = System.nanoTime();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bucket", backend.config.bucket());
        details.put("prefix", backend.config.prefix());
        details.put("region", backend.config.region());
        details.put("endpoint", backend.config.endpoint() == null ? "AWS" : backend.config.endpoint());
        details.put("layout_version", Layout.VERSION);
        details.put("clock", "client");
        details.put("atomic_fencing", false);
        details.put("cached_objects", backend.cache.size());
        details.put("subscriptions", events.activeSubscriptions());
        details.put("requests_total", requests.total());
        requests.snapshot().forEach((operation, n) -> details.put("requests_" + operation, n));
        if (backend.isClosed()) {
            return new HealthReport(HealthStatus.DOWN, BACKEND, "S3 storage is closed.",
                    Duration.ofNanos(System.nanoTime() - started), details, backend.now());
        }
        try {
            client.headBucket(b -> b.bucket(backend.config.bucket()));
        } catch (SdkException e) {
            String why = e instanceof S3Exception s3e ? "HTTP " + s3e.statusCode() : e.getClass().getSimpleName();
            return new HealthReport(HealthStatus.DOWN, BACKEND, "S3 bucket '" + backend.config.bucket()
                    + "' does not answer (" + why + ").", Duration.ofNanos(System.nanoTime() - started), details,
                    backend.now());
        }
        return new HealthReport(HealthStatus.HEALTHY, BACKEND, "S3 bucket '" + backend.config.bucket()
                + "' answers.", Duration.ofNanos(System.nanoTime() - started), details, backend.now());
    }

    /** Stops subscriptions and closes the client; idempotent, and every later call fails. */
    @Override
    public void close() {
        if (!backend.markClosed()) {
            return;
        }
        events.closeSubscriptions();
        backend.readers.shutdownNow();
        client.close();
        LOG.debug("Closed S3 storage of bucket {}", backend.config.bucket());
    }
}
