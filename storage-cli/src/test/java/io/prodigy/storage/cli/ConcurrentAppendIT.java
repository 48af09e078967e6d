package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several {@code events append} processes writing to one job at once (shell-based workflows do that). */
class ConcurrentAppendIT {

    @TempDir
    Path tmp;

    @Test
    void concurrentAppendersAreSerializedIntoOneGapFreeLog() throws Exception {
        Map<String, String> env = Map.of("PRODIGY_HOME", tmp.resolve("home").toString());
        int processes = 4;
        int perProcess = 50;
        List<JarProcess> running = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            int writer = p;
            String input = IntStream.range(0, perProcess).mapToObj(i -> "{\"event_type\":\"step_completed\","
                    + "\"agent_id\":\"writer-" + writer + "\",\"data\":{\"i\":" + i + "}}").collect(
                    Collectors.joining("\n", "", "\n"));
            running.add(JarProcess.start(tmp.resolve("p" + p), env, input, "--repo", "proj", "events", "append",
                    "--job", "shared"));
        }
        for (JarProcess p : running) {
            CliResult r = p.await(120);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Appended 50 events to proj/shared (sequences ");
        }
        CliResult export = JarProcess.run(tmp, env, null, "--repo", "proj", "events", "export", "--job", "shared");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<JsonNode> lines = export.jsonLines();
        assertThat(lines).extracting(n -> n.get("sequence").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) processes * perProcess).boxed().toList());
        // Each writer's batch is atomic: its 50 events take consecutive sequences, in its own order.
        for (int p = 0; p < processes; p++) {
            String writer = "writer-" + p;
            List<JsonNode> own = lines.stream().filter(n -> n.get("agent_id").asText().equals(writer)).toList();
            assertThat(own).extracting(n -> n.get("data").get("i").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, perProcess).boxed().toList());
            long first = own.get(0).get("sequence").asLong();
            assertThat(own.get(perProcess - 1).get("sequence").asLong()).isEqualTo(first + perProcess - 1);
        }
    }
}
