package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SessionsJobsCommandsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sessionsListAndShow(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::sessions);
            TestCli cli = f.cli(tmp);

            CliResult list = cli.run("sessions", "list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).contains("session-a", "IN_PROGRESS", "session-b", "COMPLETED", "wt-a");

            JsonNode json = cli.run("--json", "sessions", "list", "--state", "completed").json();
            assertThat(json.size()).isEqualTo(1);
            assertThat(json.get(0).get("id").asText()).isEqualTo("session-b");
            assertThat(json.get(0).get("started_at").asText()).isEqualTo("2026-01-01T10:01:00Z");
            assertThat(cli.run("--json", "sessions", "list", "--limit", "1").json().size()).isEqualTo(1);

            CliResult show = cli.run("sessions", "show", "session-a");
            assertThat(show.out()).contains("State      IN_PROGRESS", "Progress   3 iterations, 7 files changed",
                    "Worktree   wt-a", "job_id: job-1");
            assertThat(cli.run("--json", "sessions", "show", "session-a").json().get("iterations_completed").asInt())
                    .isEqualTo(3);

            CliResult missing = cli.run("sessions", "show", "session-zz");
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(missing.err()).isEqualTo("error: Session 'session-zz' does not exist. Run 'prodigy-storage"
                    + " sessions list' to see the stored sessions.\n");

            CliResult badState = cli.run("sessions", "list", "--state", "sleeping");
            assertThat(badState.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badState.err()).contains("Invalid value for option '--state'", "sleeping");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void jobsListAcrossRepositories(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::all);
            TestCli cli = f.cli(tmp);

            JsonNode jobs = cli.run("--json", "jobs", "list").json();
            assertThat(jobs.size()).isEqualTo(2);
            JsonNode other = jobs.get(0);
            assertThat(other.get("repository").asText()).isEqualTo("other-repo");
            JsonNode job1 = jobs.get(1);
            assertThat(job1.get("repository").asText()).isEqualTo("proj");
            assertThat(job1.get("job_id").asText()).isEqualTo("job-1");
            assertThat(job1.get("event_count").asLong()).isEqualTo(7);
            assertThat(job1.get("error_count").asLong()).isEqualTo(1);
            assertThat(job1.get("dlq_depth").asLong()).isEqualTo(2);
            assertThat(job1.get("checkpoint_count").asLong()).isEqualTo(4);
            assertThat(job1.get("last_activity").asText()).isEqualTo("2026-01-01T10:06:00Z");

            assertThat(cli.run("--repo", "proj", "--json", "jobs", "list").json().size()).isEqualTo(1);
            CliResult text = cli.run("jobs", "list");
            assertThat(text.out()).contains("REPOSITORY", "other-repo", "job-9", "proj", "job-1");
        }
    }
}
