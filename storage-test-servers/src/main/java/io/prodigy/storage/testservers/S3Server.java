package io.prodigy.storage.testservers;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3 endpoint and bucket for tests. Each test works under an object prefix of its own and deletes it afterwards
 * ({@link #deletePrefix}).
 *
 * @param endpoint        the endpoint URL
 * @param bucket          the bucket the tests use; it exists once {@link TestServers#s3()} returned
 * @param region          the signing region
 * @param accessKeyId     the access key, or {@code null} when the SDK's default chain supplies the credentials
 * @param secretAccessKey its secret, or {@code null} likewise; never in {@link #toString}
 * @param embedded        whether this is s3proxy in this JVM (or the parent test JVM's): path-style, in-memory, the
 *                        {@link #EMBEDDED_ACCESS_KEY} credentials
 */
public record S3Server(String endpoint, String bucket, String region, String accessKeyId, String secretAccessKey,
                       boolean embedded) {

    /** The access key of the embedded s3proxy. */
    public static final String EMBEDDED_ACCESS_KEY = "test-access-key";
    /** The secret key of the embedded s3proxy; a test may check it appears in no log, error or toString. */
    public static final String EMBEDDED_SECRET_KEY = "test-secret-key-do-not-log";
    /** The bucket on the embedded s3proxy. */
    public static final String EMBEDDED_BUCKET = "prodigy-it";

    public S3Server {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
    }

    /** A new client for this endpoint (path-style); the caller closes it. */
    public S3Client client() {
        AwsCredentialsProvider credentials = accessKeyId == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(region))
                .forcePathStyle(true).credentialsProvider(credentials).httpClient(Apache5HttpClient.create())
                .build();
    }

    /** Deletes every object of {@link #bucket} whose key starts with {@code prefix}; others are untouched. */
    public void deletePrefix(String prefix) {
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

    /** Where the server is, without the credentials. */
    @Override
    public String toString() {
        return "S3 " + endpoint + " bucket " + bucket + (embedded ? " (s3proxy)" : "");
    }
}
