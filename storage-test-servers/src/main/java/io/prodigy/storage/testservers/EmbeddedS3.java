package io.prodigy.storage.testservers;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/** s3proxy in the test JVM: create-only writes ({@code If-None-Match: *}) are atomic in its blob stores. */
final class EmbeddedS3 {

    private static final String REGION = "us-east-1";

    private EmbeddedS3() {}

    /** The s3proxy a parent test JVM started at {@code endpoint}. */
    static S3Server at(String endpoint) {
        return new S3Server(endpoint, S3Server.EMBEDDED_BUCKET, REGION, S3Server.EMBEDDED_ACCESS_KEY,
                S3Server.EMBEDDED_SECRET_KEY, true);
    }

    /**
     * s3proxy on a free port of 127.0.0.1, stopped when the JVM exits: a transient in-memory blob store, or with
     * {@code -Ds3proxy.provider=filesystem} one in a new temp directory.
     */
    static S3Server start() throws Exception {
        Properties p = new Properties();
        String provider = System.getProperty("s3proxy.provider", "transient");
        if (provider.equals("filesystem")) {
            p.setProperty("jclouds.filesystem.basedir", Files.createTempDirectory("s3proxy").toString());
        }
        S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create(provider, p))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3Server.EMBEDDED_ACCESS_KEY,
                        S3Server.EMBEDDED_SECRET_KEY)
                .build();
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
        return at("http://127.0.0.1:" + proxy.getPort());
    }
}
