package io.prodigy.storage.it;

import io.prodigy.storage.testservers.PostgresServer;
import io.prodigy.storage.testservers.RedisServer;
import io.prodigy.storage.testservers.S3Server;
import io.prodigy.storage.testservers.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The servers of the networked backends, as {@link TestServers} finds them (once per test JVM; skipped, or failed
 * under {@code CI=true}, when one does not answer), and what only this module needs of them: the storage URL of a
 * schema, key prefix or object prefix, which the tests hand to the CLI child processes and to
 * {@code StorageFactory}. The embedded s3proxy listens on a free port of 127.0.0.1, which the child processes reach
 * over HTTP like any S3 endpoint.
 */
final class ItServers {

    private ItServers() {}

    /** A PostgreSQL server; storage URLs name a schema on it. */
    record Postgres(PostgresServer server) {

        /** The storage URL of {@code schema} on this server (password percent-encoded). */
        String url(String schema) {
            String password = server.password();
            String auth = encode(server.user()) + (password.isEmpty() ? "" : ":" + encode(password));
            return "postgresql://" + auth + "@" + server.host() + ":" + server.port() + "/" + server.database()
                    + "?schema=" + schema;
        }

        /** Drops {@code schema} and everything in it. */
        void dropSchema(String schema) {
            server.dropSchema(schema);
        }

        @Override
        public String toString() {
            return server.toString();
        }
    }

    /** A Redis server; storage URLs name a key prefix on it. */
    record Redis(RedisServer server) {

        String url(String prefix) {
            return server.url() + "?prefix=" + encode(prefix);
        }

        /** Deletes every key of the store under {@code prefix} (its keys are {@code {prefix}…}). */
        void dropPrefix(String prefix) {
            server.deletePrefix(prefix);
        }

        @Override
        public String toString() {
            return server.toString();
        }
    }

    /**
     * An S3 endpoint and bucket; storage URLs name a prefix in it. The credentials reach the CLI child processes as
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (a storage URL never carries them) and stores opened in
     * this JVM as backend options; {@code null} when the default chain supplies them.
     */
    record S3(S3Server server) {

        String url(String prefix) {
            return "s3://" + server.bucket() + "/" + prefix + "?endpoint=" + server.endpoint() + "&region="
                    + server.region() + "&path_style=true";
        }

        String accessKeyId() {
            return server.accessKeyId();
        }

        String secretAccessKey() {
            return server.secretAccessKey();
        }

        Map<String, String> childEnvironment() {
            return accessKeyId() == null ? Map.of("AWS_REGION", server.region()) : Map.of("AWS_ACCESS_KEY_ID",
                    accessKeyId(), "AWS_SECRET_ACCESS_KEY", secretAccessKey(), "AWS_REGION", server.region());
        }

        /** Deletes every object under {@code prefix}. */
        void dropPrefix(String prefix) {
            server.deletePrefix(prefix);
        }

        @Override
        public String toString() {
            return server.toString();
        }
    }

    static Postgres postgres() {
        return new Postgres(TestServers.postgres());
    }

    static Redis redis() {
        return new Redis(TestServers.redis());
    }

    static S3 s3() {
        return new S3(TestServers.s3());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
