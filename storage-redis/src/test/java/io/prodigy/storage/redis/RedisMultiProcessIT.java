package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Four JVMs share one store on the shared server: each appends 2,500 events to one job, then all claim from one DLQ
 * at once. The log holds exactly 10,000 events, gap-free, each once; every DLQ item is claimed and removed by exactly
 * one process.
 */
class RedisMultiProcessIT {

    private static final int PROCESSES = 4;
    private static final int EVENTS = 2_500;
    private static final int ITEMS = 400;

    @Test
    void fourProcessesAppendGapFreeAndNeverClaimAnItemTwice() throws Exception {
        String prefix = RedisTestServer.newPrefix("MultiProcess");
        JobRef job = JobRef.of("repo", "shared");
        try (UnifiedStorage store = RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject())) {
            for (int i = 0; i < ITEMS; i++) {
                store.dlq().add(job, DlqFailure.of(String.format("item-%04d", i), null, "boom"));
            }

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> processes = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        MultiProcessWorker.class.getName(), RedisTestServer.url(), prefix, job.repository(),
                        job.jobId(), "worker" + p, Integer.toString(EVENTS), "25").redirectErrorStream(true).start());
            }
            List<String> claimed = new ArrayList<>();
            for (Process p : processes) {
                List<String> lines = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(lines::add);
                }
                assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
                assertThat(p.exitValue()).as("worker output: %s", lines).isZero();
                assertThat(lines).contains("done");
                lines.stream().filter(l -> l.startsWith("claimed ")).map(l -> l.substring(8)).forEach(claimed::add);
            }

            List<EventRecord> events;
            try (Stream<EventRecord> s = store.events().query(EventFilter.forJob(job))) {
                events = s.toList();
            }
            assertThat(events).hasSize(PROCESSES * EVENTS);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).sequence()).isEqualTo(i + 1);
                ids.add(events.get(i).id());
            }
            assertThat(ids).hasSize(PROCESSES * EVENTS);
            assertThat(store.events().lastSequence(job)).isEqualTo(PROCESSES * EVENTS);

            assertThat(claimed).as("items claimed and removed").hasSize(ITEMS).doesNotHaveDuplicates();
            assertThat(store.dlq().stats(job).totalItems()).isZero();
        }
    }
}
