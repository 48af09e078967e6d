package io.prodigy.storage.bench.s3;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.s3.S3StorageProvider;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 13: S3 append against the alternative, a raw create-only {@code PutObject} of the same bytes, on the same
 * server (s3proxy 4.1.0 embedded in the benchmark JVM, transient store), one thread, a batch of 100 events of
 * {@value EventFixtures#EVENT_BYTES} bytes per call:
 * <ul>
 *   <li>{@code s3}: {@code events().append} of the S3 backend (the job's end known to this process: one PUT, plus
 *       serializing the segment and the idempotency look-up);</li>
 *   <li>{@code raw}: {@code PutObject} with {@code If-None-Match: *} of a body as large as the backend's segment of
 *       the same batch, to consecutive keys, through an SDK client configured like the backend's.</li>
 * </ul>
 * The goal is s3 ≥ 0.8 × raw. Built and run only with {@code -Pdistributed} (docs/perf.md, "S3").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class S3AppendBench {

    private static final String ACCESS_KEY = "bench-access-key";
    private static final String SECRET_KEY = "bench-secret-key";
    private static final String BUCKET = "prodigy-bench";

    @Param({"s3", "raw"})
    public String impl;

    @Param({"100"})
    public int batch;

    private S3Proxy proxy;
    private UnifiedStorage storage;
    private S3Client client;
    private EventFactory events;
    private byte[] rawBody;
    private final AtomicLong rawKey = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws Exception {
        proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties())).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(5);
        }
        String endpoint = "http://127.0.0.1:" + proxy.getPort();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("bucket", BUCKET);
        c.put("endpoint", endpoint);
        c.put("path_style", true);
        c.put("access_key_id", ACCESS_KEY);
        c.put("secret_access_key", SECRET_KEY);
        c.put("create_bucket", true);
        c.put("prefix", "bench/");
        storage = new S3StorageProvider().open(StorageConfig.forBackend("s3").withBackendConfig(c)
                .withTimeout(Duration.ofSeconds(30)), StorageContext.system());
        events = new EventFactory("t00");
        List<NewEvent> sample = events.batch(batch);
        // The backend's segment body of this batch is about its events as JSON plus sequences and a write id.
        rawBody = Json.mapper().writeValueAsBytes(Map.of("write_id", "00000000-0000-0000-0000-000000000000",
                "first", 1, "last", batch, "events", sample));
        client = S3Client.builder().httpClientBuilder(Apache5HttpClient.builder()).region(Region.US_EAST_1).forcePathStyle(true).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

    @Benchmark
    public int append() {
        if (impl.equals("s3")) {
            return storage.events().append(EventFixtures.JOB, events.batch(batch)).appended();
        }
        String key = "raw/s" + String.format("%020d", rawKey.incrementAndGet());
        client.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromBytes(rawBody));
        return batch;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (impl.equals("s3")) {
            long stored = storage.events().lastSequence(EventFixtures.JOB);
            Map<String, Object> details = storage.health().details();
            System.out.println("s3 append: " + stored + " events stored in " + stored / batch + " appends, requests "
                    + details.get("requests_total") + " (PutObject " + details.get("requests_PutObject")
                    + "); body of the raw PUT " + rawBody.length + " bytes");
        }
        storage.close();
        client.close();
        proxy.stop();
    }
}
