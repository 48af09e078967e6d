package io.prodigy.storage.testservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Each server is found once, answers, and its clean-up removes exactly the test's own schema, keys or objects. */
class TestServersTest {

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void postgresIsFoundOnceAndDropsOnlyTheNamedSchema() throws SQLException {
        PostgresServer pg = TestServers.postgres();
        assertThat(TestServers.postgres()).isSameAs(pg);
        String mine = "testservers_" + suffix();
        String other = "testservers_" + suffix();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + mine);
            s.execute("CREATE TABLE " + mine + ".t (x int)");
            s.execute("CREATE SCHEMA " + other);
        }
        try {
            pg.dropSchema(mine);
            pg.dropSchema(mine); // absent: nothing to do
            assertThat(schemaExists(pg, mine)).isFalse();
            assertThat(schemaExists(pg, other)).isTrue();
        } finally {
            pg.dropSchema(other);
        }
        assertThat(pg.toString()).startsWith("PostgreSQL ").contains(pg.host()).contains(pg.database());
        if (!pg.password().isEmpty()) {
            assertThat(pg.toString()).doesNotContain(pg.password());
        }
    }

    private static boolean schemaExists(PostgresServer pg, String schema) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT 1 FROM pg_namespace WHERE nspname = '" + schema + "'")) {
            return r.next();
        }
    }

    @Test
    void postgresUrlPartsAreParsed() {
        PostgresServer pg = new PostgresServer("jdbc:postgresql://db.example:6543/prod?sslmode=require", "u", "pw");
        assertThat(pg.host()).isEqualTo("db.example");
        assertThat(pg.port()).isEqualTo(6543);
        assertThat(pg.database()).isEqualTo("prod");
        assertThat(new PostgresServer("jdbc:postgresql://h/d", "u", "").port()).isEqualTo(5432);
        assertThat(pg.toString()).isEqualTo("PostgreSQL u@db.example:6543/prod").doesNotContain("pw");
    }

    @Test
    void redisIsFoundOnceAndDeletesOnlyTheKeysOfThePrefix() {
        RedisServer redis = TestServers.redis();
        assertThat(TestServers.redis()).isSameAs(redis);
        assertThat(redis.answersPing()).isTrue();
        String mine = "testservers:" + suffix() + ":";
        String other = "testservers:" + suffix() + ":";
        try (Jedis j = redis.connect()) {
            for (int i = 0; i < 1_500; i++) { // more than one SCAN page
                j.set("{" + mine + "}k" + i, "v");
            }
            j.set("{" + other + "}k", "v");
            redis.deletePrefix(mine);
            assertThat(j.keys("{" + mine + "}*")).isEmpty();
            assertThat(j.get("{" + other + "}k")).isEqualTo("v");
            redis.deletePrefix(other);
            assertThat(j.exists("{" + other + "}k")).isFalse();
        }
    }

    @Test
    void redisToStringHidesThePassword() {
        assertThat(new RedisServer("redis://:s3cret-pw@cache.example:6390/2").toString())
                .isEqualTo("Redis cache.example:6390").doesNotContain("s3cret-pw");
    }

    @Test
    void redisThatIsNotListeningDoesNotAnswerPing() {
        assertThat(new RedisServer("redis://127.0.0.1:1").answersPing()).isFalse();
    }

    @Test
    void s3IsFoundOnceWithItsBucketAndDeletesOnlyTheObjectsOfThePrefix() {
        S3Server s3 = TestServers.s3();
        assertThat(TestServers.s3()).isSameAs(s3);
        String mine = "testservers/" + suffix() + "/";
        String other = "testservers/" + suffix() + "/";
        try (S3Client client = s3.client()) {
            for (int i = 0; i < 3; i++) {
                String key = mine + "o" + i;
                client.putObject(r -> r.bucket(s3.bucket()).key(key), RequestBody.fromString("x"));
            }
            client.putObject(r -> r.bucket(s3.bucket()).key(other + "o"), RequestBody.fromString("y"));
            s3.deletePrefix(mine);
            assertThat(client.listObjectsV2(r -> r.bucket(s3.bucket()).prefix(mine)).contents()).isEmpty();
            assertThat(client.listObjectsV2(r -> r.bucket(s3.bucket()).prefix(other)).contents()).hasSize(1);
            s3.deletePrefix(other);
            assertThat(client.listObjectsV2(r -> r.bucket(s3.bucket()).prefix(other)).contents()).isEmpty();
        }
        if (s3.secretAccessKey() != null) {
            assertThat(s3.toString()).doesNotContain(s3.secretAccessKey());
        }
    }
}
