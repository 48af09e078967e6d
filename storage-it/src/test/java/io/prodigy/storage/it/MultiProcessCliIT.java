package io.prodigy.storage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four processes of the built CLI jar append 2,500 events each to one job at the same time ({@code events append},
 * as shell-based workflows do) on the shared backends. The store must serialize them into one log of exactly 10,000
 * events, sequences 1..10,000 without gap or duplicate, each process's atomic batches whole, consecutive and in its
 * order.
 */
class MultiProcessCliIT {

    private static final int PROCESSES = 4;
    private static final int PER_PROCESS = 2_500;
    private static final JobRef JOB = JobRef.of("shared-repo", "fan-in");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"POSTGRES", "REDIS", "S3"})
    void fourProcessesAppendOneGapFreeLog(Backend backend) throws Exception {
        try (TestStore store = backend.fresh("fanin")) {
            List<CliProcess> running = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int p = 0; p < PROCESSES; p++) {
                    Path dir = Files.createDirectories(tmp.resolve("writer-" + p));
                    running.add(CliProcess.start(dir, store.childEnvironment(), input(p), "--storage-url", store.url(),
                            "--repo", JOB.repository(), "events", "append", "--job", JOB.jobId()));
                }
                for (CliProcess p : running) {
                    CliProcess.Result r = p.await(180);
                    assertThat(r.exitCode()).as(r.toString()).isZero();
                    assertThat(r.out()).as(r.toString()).startsWith("Appended " + PER_PROCESS + " events to " + JOB
                            + " (sequences ");
                }
            } finally {
                running.forEach(CliProcess::kill);
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            UnifiedStorage storage = store.open();
            List<EventRecord> log;
            try (Stream<EventRecord> all = storage.events().query(EventFilter.forJob(JOB))) {
                log = all.toList();
            }
            assertThat(storage.events().lastSequence(JOB)).isEqualTo(PROCESSES * PER_PROCESS);
            assertThat(log).extracting(EventRecord::sequence).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, PROCESSES * PER_PROCESS).boxed().toList());
            assertThat(log).extracting(EventRecord::id).doesNotHaveDuplicates();
            // events append sends a process's input as atomic batches of the store's limit (all 2,500 at once, or
            // 1,000 at a time on Redis): each batch must land whole, on consecutive sequences, in the writer's order.
            int batch = Math.min(PER_PROCESS, storage.limits().maxBatchSize());
            for (int p = 0; p < PROCESSES; p++) {
                String writer = "writer-" + p;
                List<EventRecord> own = log.stream().filter(e -> writer.equals(e.agentId())).toList();
                assertThat(own).as(writer + "'s events, in its order").extracting(e -> e.data().get("i").asInt())
                        .containsExactlyElementsOf(IntStream.range(0, PER_PROCESS).boxed().toList());
                for (int from = 0; from < PER_PROCESS; from += batch) {
                    int to = Math.min(PER_PROCESS, from + batch) - 1;
                    assertThat(own.get(to).sequence()).as(writer + "'s batch from " + from + " is one atomic append")
                            .isEqualTo(own.get(from).sequence() + (to - from));
                }
            }
            System.out.printf("multi-process append on %-8s %d processes x %d events: %d events, sequences 1..%d,"
                    + " %.1f s%n", backend.label(), PROCESSES, PER_PROCESS, log.size(), log.size(), seconds);
        }
    }

    private static String input(int writer) {
        return IntStream.range(0, PER_PROCESS).mapToObj(i -> "{\"id\":\"w" + writer + "-" + i + "\","
                + "\"event_type\":\"step_completed\",\"agent_id\":\"writer-" + writer + "\",\"data\":{\"i\":" + i
                + "}}").collect(Collectors.joining("\n", "", "\n"));
    }
}
