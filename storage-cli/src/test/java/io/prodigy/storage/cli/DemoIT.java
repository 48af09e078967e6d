package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job as users run it: the built jar in a child process, on the default (file) backend. */
class DemoIT {

    @TempDir
    Path tmp;

    @Test
    void demoRunsEndToEndAndItsJobsStayInStorage() throws Exception {
        Path home = tmp.resolve("prodigy-home");
        Path project = tmp.resolve("wordcount-project");
        Map<String, String> env = Map.of("PRODIGY_HOME", home.toString());

        CliResult first = JarProcess.run(project, env, null, "demo", "--seed", "3");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("storage: file backend at " + home + ", repository 'wordcount-project'",
                "Job 1/2", "Job 2/2", "  crash   simulated coordinator crash", "storage closed and reopened",
                "  resume  from checkpoint", "  reduce  lock reduce:wordcount-project:",
                "verified: no item done twice, every item accounted for", "Summary", "agent_completed",
                "data         " + home + " (file backend)", "Next, try:");
        assertThat(first.err()).doesNotContain("Exception", "ERROR");
        assertThat(Files.isDirectory(home.resolve("events").resolve("wordcount-project"))).isTrue();

        CliResult second = JarProcess.run(project, env, null, "--json", "demo", "--jobs", "1", "--items", "8",
                "--seed", "4");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        JsonNode doc = second.json();
        assertThat(doc.get("earlier_demo_jobs").asInt()).isEqualTo(2);
        assertThat(doc.get("demo_jobs_in_repository").size()).isEqualTo(3);

        CliResult jobs = JarProcess.run(project, env, null, "--json", "jobs", "list");
        assertThat(jobs.exitCode()).isZero();
        assertThat(jobs.json().size()).isEqualTo(3);
        for (JsonNode job : jobs.json()) {
            assertThat(job.get("repository").asText()).isEqualTo("wordcount-project");
            assertThat(job.get("event_count").asLong()).isPositive();
            assertThat(job.get("checkpoint_count").asLong()).isGreaterThanOrEqualTo(3);
        }
    }
}
