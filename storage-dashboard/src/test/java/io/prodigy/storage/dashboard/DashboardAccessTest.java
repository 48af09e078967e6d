package io.prodigy.storage.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.WrappingStorage;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access token on a non-loopback bind, and no secret in any answer. */
class DashboardAccessTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final List<String> SECRETS = List.of("hunter2-pw", "pw-in-url", "k-secret-key", TOKEN);

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aNonLoopbackBindNeedsTheTokenOnEveryRequest() throws Exception {
        try (UnifiedStorage storage = Fixture.open(dir);
                Dashboard d = Dashboard.start(storage, DashboardOptions.forAddress("0.0.0.0", 0, TOKEN))) {
            Fixture.fill(storage);
            URI base = URI.create("http://127.0.0.1:" + d.port() + "/");
            for (String path : List.of("/", "/api/overview", "/api/jobs/proj/job-1", "/jobs/proj/job-1",
                    "/api/jobs/proj/job-1/stream", "/assets/dashboard.js", "/api/nothing")) {
                HttpResponse<String> r = send(base.resolve(path), Map.of());
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
                assertThat(r.body()).as(path).contains("access token").doesNotContain(TOKEN);
            }
            assertThat(send(base.resolve("/api/overview"), Map.of("Authorization", "Bearer wrong-token-0123456789"))
                    .statusCode()).isEqualTo(401);
            assertThat(send(base.resolve("/api/overview?token=wrong"), Map.of()).statusCode()).isEqualTo(401);

            assertThat(send(base.resolve("/api/overview"), Map.of("Authorization", "Bearer " + TOKEN))
                    .statusCode()).isEqualTo(200);
            HttpResponse<String> viaQuery = send(base.resolve("/?token=" + TOKEN), Map.of());
            assertThat(viaQuery.statusCode()).isEqualTo(200);
            String cookie = viaQuery.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
            assertThat(send(base.resolve("/jobs/proj/job-1"), Map.of("Cookie", cookie.split(";")[0]))
                    .statusCode()).isEqualTo(200);
            assertThat(d.browserUri().toString()).endsWith("?token=" + TOKEN);
        }
    }

    @Test
    void optionsRefuseANonLoopbackBindWithoutATokenAndGenerateOne() throws Exception {
        assertThatThrownBy(() -> new DashboardOptions(InetAddress.getByName("0.0.0.0"), 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access token");
        assertThatThrownBy(() -> DashboardOptions.forAddress("127.0.0.1", 0, "short"))
                .hasMessageContaining("at least 16");
        assertThatThrownBy(() -> DashboardOptions.forAddress("127.0.0.1", 70_000, null))
                .hasMessageContaining("out of range");
        DashboardOptions all = DashboardOptions.forAddress("0.0.0.0", 0, null);
        assertThat(all.token()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(all.toString()).doesNotContain(all.token());
        assertThat(DashboardOptions.forAddress("0.0.0.0", 0, null).token()).isNotEqualTo(all.token());
        assertThat(DashboardOptions.forAddress("127.0.0.1", 0, null).token()).isNull();
    }

    @Test
    void noSecretReachesAnyAnswer() throws Exception {
        try (UnifiedStorage file = Fixture.open(dir); UnifiedStorage storage = new SecretHealth(file);
                Dashboard d = Dashboard.start(storage, DashboardOptions.forAddress("127.0.0.1", 0, TOKEN))) {
            Fixture.fill(storage);
            Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
            for (String path : List.of("/", "/jobs/proj/job-1", "/sessions", "/workflows", "/locks",
                    "/api/overview", "/api/health", "/api/repositories", "/api/jobs", "/api/jobs/proj/job-1",
                    "/api/jobs/proj/job-1/events", "/api/jobs/proj/job-1/timeline", "/api/jobs/proj/job-1/agents",
                    "/api/jobs/proj/job-1/checkpoints", "/api/jobs/proj/job-1/dlq", "/api/jobs/proj/job-1/chart.svg",
                    "/api/sessions", "/api/workflows", "/api/locks", "/api/jobs/proj/nope", "/nothing")) {
                HttpResponse<String> r = send(d.uri().resolve(path), auth);
                assertThat(r.statusCode()).as(path).isIn(200, 404);
                for (String secret : SECRETS) {
                    assertThat(r.body()).as(path).doesNotContain(secret);
                }
            }
            String health = send(d.uri().resolve("/api/health"), auth).body();
            assertThat(health).contains("\"password\" : \"****\"", "postgres://****@db.internal:5432/prodigy",
                    "\"api_key\" : \"****\"", "\"pool_size\" : 5");
        }
    }

    private HttpResponse<String> send(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A storage whose health report carries the kind of settings a database backend reports. */
    private static final class SecretHealth extends WrappingStorage {
        SecretHealth(UnifiedStorage d) {
            super(d, new StoreSet(d.sessions(), d.events(), d.checkpoints(), d.dlq(), d.workflows(), d.locks()));
        }

        @Override
        public HealthReport health() {
            HealthReport r = delegate.health();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("password", "hunter2-pw");
            details.put("url", "postgres://admin:pw-in-url@db.internal:5432/prodigy");
            details.put("pool", Map.of("api_key", "k-secret-key", "pool_size", 5));
            details.put("pool_size", 5);
            return new HealthReport(r.status(), r.backendType(),
                    "connected to postgres://admin:pw-in-url@db.internal:5432/prodigy", r.probeLatency(), details,
                    r.checkedAt());
        }

        @Override
        public void close() {
            // the file storage is closed by its own try-with-resources
        }
    }
}
