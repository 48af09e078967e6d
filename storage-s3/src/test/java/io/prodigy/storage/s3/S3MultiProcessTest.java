package io.prodigy.storage.s3;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.testservers.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** Four JVMs append to one job through one bucket: the log is gap-free and holds each event exactly once. */
class S3MultiProcessTest {

    private static final int PROCESSES = 4;
    private static final int BATCHES = 15;

    @Test
    void fourProcessesAppendingToOneJobLeaveAGapFreeLogWithoutDuplicates(@TempDir Path dir) throws Exception {
        String prefix = S3TestServer.namespace("S3MultiProcessTest");
        String repo = "multi";
        String jobId = "job-" + System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            Path out = dir.resolve("worker-" + p + ".log");
            outputs.add(out);
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "-D" + TestServers.S3_ENDPOINT_PROPERTY + "=" + S3TestServer.endpoint(), "-Duser.home=" + dir,
                    AppendMain.class.getName(), prefix, repo, jobId, "w" + p, String.valueOf(BATCHES))
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("HOME", dir.toString());
            processes.add(pb.start());
        }
        for (int p = 0; p < PROCESSES; p++) {
            assertThat(processes.get(p).waitFor(5, TimeUnit.MINUTES)).as("worker %d finished", p).isTrue();
            String log = Files.readString(outputs.get(p), StandardCharsets.UTF_8);
            assertThat(processes.get(p).exitValue()).as("worker %d exit; output:%n%s", p, log).isZero();
            assertThat(log).contains("done w" + p);
        }

        try (UnifiedStorage s = new S3StorageProvider().open(S3TestServer.config(prefix),
                StorageContext.withoutProject())) {
            List<EventRecord> events;
            try (Stream<EventRecord> all = s.events().query(EventFilter.forJob(
                    io.prodigy.storage.id.JobRef.of(repo, jobId)))) {
                events = all.toList();
            }
            int total = PROCESSES * BATCHES * 2;
            assertThat(events.stream().map(EventRecord::sequence).toList())
                    .isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(new HashSet<>(events.stream().map(EventRecord::id).toList())).hasSize(total);
        }
    }
}
