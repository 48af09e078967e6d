package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code prodigy-storage dashboard} over each backend: it serves the configured storage and checks its options. */
class DashboardCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void servesTheConfiguredStorageUntilItsTimeIsUp(Backend backend) throws Exception {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::all);
            TestCli.Running running = f.cli(tmp).start("dashboard", "--port", "0", "--for", "5s");
            Pattern url = Pattern.compile("at (http://\\S+/)");
            long deadline = System.nanoTime() + 20_000_000_000L;
            Matcher m = url.matcher("");
            while (System.nanoTime() < deadline && !(m = url.matcher(running.outSoFar())).find()) {
                Thread.sleep(20);
            }
            assertThat(running.outSoFar()).contains("Dashboard serving " + backend.name().toLowerCase());
            HttpResponse<String> jobs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(m.group(1) + "api/jobs")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(jobs.statusCode()).isEqualTo(200);
            assertThat(jobs.body()).contains("\"job_id\" : \"job-1\"", "\"status\" :");
            CliResult done = running.await(60);
            assertThat(done.exitCode()).as(done.toString()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void refusesAShortTokenAndAnUnknownAddress(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            CliResult shortToken = f.cli(tmp).run("dashboard", "--bind", "0.0.0.0", "--token", "short");
            assertThat(shortToken.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(shortToken.err()).contains("at least 16 characters");
            CliResult badPort = f.cli(tmp).run("dashboard", "--port", "70000");
            assertThat(badPort.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badPort.err()).contains("out of range");
        }
    }
}
