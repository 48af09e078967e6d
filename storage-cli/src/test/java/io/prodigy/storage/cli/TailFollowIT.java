package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code events tail --follow} in one process sees events that other processes append. */
class TailFollowIT {

    @TempDir
    Path tmp;

    @Test
    void followSeesEventsWrittenByOtherProcesses() throws Exception {
        Map<String, String> env = Map.of("PRODIGY_HOME", tmp.resolve("home").toString());
        JarProcess tail = JarProcess.start(tmp, env, null, "--repo", "proj", "events", "tail", "--job", "live",
                "--follow", "--max-events", "5", "--for", "90s");
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!tail.stderrSoFar().contains("Following proj/live after sequence 0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(tail.stderrSoFar()).contains("Following proj/live after sequence 0");

            CliResult a = JarProcess.run(tmp, env, "{\"event_type\":\"step_started\",\"agent_id\":\"sh-1\"}\n"
                    + "{\"event_type\":\"step_completed\",\"agent_id\":\"sh-1\"}\n", "--repo", "proj", "events",
                    "append", "--job", "live");
            assertThat(a.exitCode()).as(a.toString()).isZero();
            CliResult b = JarProcess.run(tmp, env, "{\"event_type\":\"build_started\"}\n"
                    + "{\"event_type\":\"build_failed\",\"data\":{\"exit_code\":2}}\n{\"event_type\":\"done\"}\n",
                    "--repo", "proj", "events", "append", "--job", "live");
            assertThat(b.exitCode()).as(b.toString()).isZero();

            CliResult r = tail.await(90);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines.get(0)).contains("SEQ", "TYPE");
            assertThat(lines.subList(1, lines.size())).hasSize(5);
            assertThat(String.join("\n", lines)).containsSubsequence("1", "step_started", "2", "step_completed",
                    "3", "build_started", "4", "build_failed", "exit_code", "5", "done");
        } finally {
            tail.kill();
        }
    }
}
