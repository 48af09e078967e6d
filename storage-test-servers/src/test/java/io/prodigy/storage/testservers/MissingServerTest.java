package io.prodigy.storage.testservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one rule for a server that does not answer: skipped (JUnit's {@code TestAbortedException}) outside CI, failed
 * ({@code AssertionError}) under {@code CI=true}, with a message saying what was tried and how to start it, and no
 * secret in it. Each case runs {@link RequireMain} in a child JVM, since the rule reads the environment.
 */
class MissingServerTest {

    private static final String ABORTED = "org.opentest4j.TestAbortedException: ";
    private static final String FAILED = "java.lang.AssertionError: ";

    /**
     * What {@link RequireMain} printed for {@code server}, run with {@code env} and no other PRODIGY_IT_* or CI
     * variable, and the JVM options {@code options}.
     */
    private static String require(String server, Map<String, String> env, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off"));
        command.addAll(List.of(options));
        command.addAll(List.of(RequireMain.class.getName(), server));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PRODIGY_IT_") || k.equals("CI"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the child JVM finished: %s", out).isTrue();
        // the last line is RequireMain's (s3proxy may log before it)
        return out.lines().reduce((a, b) -> b).orElse(out);
    }

    @Test
    void redisThatDoesNotAnswerIsSkippedOutsideCi() throws Exception {
        String out = require("redis", Map.of("PRODIGY_IT_REDIS_URL", "redis://:redis-secret-pw@127.0.0.1:1"));
        assertThat(out).startsWith(ABORTED + "Redis for the integration tests is not reachable: Redis 127.0.0.1:1"
                + " does not answer PING. Start it (redis-server --port 6379 --save '' --appendonly no), set"
                + " PRODIGY_IT_REDIS_URL, or run a Docker engine.").doesNotContain("redis-secret-pw");
    }

    @Test
    void redisThatDoesNotAnswerFailsUnderCi() throws Exception {
        String out = require("redis", Map.of("PRODIGY_IT_REDIS_URL", "redis://127.0.0.1:1", "CI", "true"));
        assertThat(out).startsWith(FAILED + "Redis for the integration tests is not reachable: Redis 127.0.0.1:1")
                .endsWith("(CI=true: a missing server is a failure, not a skip)");
    }

    @Test
    void postgresThatDoesNotAnswerFailsUnderCiWithoutItsPassword() throws Exception {
        String out = require("postgres", Map.of("PRODIGY_IT_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:1/test",
                "PRODIGY_IT_POSTGRES_USER", "someone", "PRODIGY_IT_POSTGRES_PASSWORD", "pg-secret-pw", "CI", "TRUE"));
        assertThat(out).startsWith(FAILED + "PostgreSQL for the integration tests is not reachable: PostgreSQL"
                + " someone@127.0.0.1:1/test: ").contains("Start it (127.0.0.1:5432, user postgres, database test),"
                + " set PRODIGY_IT_POSTGRES_URL, or run a Docker engine.").doesNotContain("pg-secret-pw");
    }

    @Test
    void s3EndpointWithoutABucketIsSkippedSayingWhichVariableIsMissing() throws Exception {
        String out = require("s3", Map.of("PRODIGY_IT_S3_ENDPOINT", "http://127.0.0.1:1"));
        assertThat(out).startsWith(ABORTED + "S3 for the integration tests is not reachable: PRODIGY_IT_S3_ENDPOINT"
                + " is set but PRODIGY_IT_S3_BUCKET is not. Check PRODIGY_IT_S3_ENDPOINT, PRODIGY_IT_S3_BUCKET and the"
                + " credentials, or unset PRODIGY_IT_S3_ENDPOINT to use s3proxy in the test JVM.");
    }

    @Test
    void aChildJvmFindsTheParentsS3() throws Exception {
        S3Server parent = TestServers.s3();
        Map<String, String> s3Variables = new HashMap<>(System.getenv());
        s3Variables.keySet().removeIf(k -> !k.startsWith("PRODIGY_IT_S3_"));
        // the embedded s3proxy through the property; a real endpoint through the same variables
        String out = require("s3", s3Variables, "-D" + TestServers.S3_ENDPOINT_PROPERTY + "=" + parent.endpoint());
        assertThat(out).isEqualTo("FOUND " + parent);
    }
}
