package io.prodigy.storage.file.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four separate JVMs append 10,000 events each to one job (in batches of 10, so 1,000 appends per JVM) and claim
 * items from one DLQ queue, all at the same time. Afterwards the job holds exactly 40,000 events with sequences
 * 1..40,000, each child's acknowledged ranges are exactly its events, and no DLQ item was claimed twice.
 */
class MultiProcessTest {

    private static final Logger LOG = LoggerFactory.getLogger(MultiProcessTest.class);
    private static final int CHILDREN = 4;
    private static final int EVENTS_PER_CHILD = 10_000;
    private static final int BATCH = 10;
    private static final int DLQ_ITEMS = 300;

    @TempDir
    Path base;

    private UnifiedStorage open() {
        return new FileStorageProvider().open(
                StorageConfig.forBackend("file").withBackendOption("base_dir", base.toString()),
                StorageContext.system());
    }

    @Test
    void fourJvmsAppendToOneJobAndClaimFromOneQueueWithoutCollisions() throws Exception {
        JobRef job = JobRef.of("repo-mp", "mapreduce-1");
        JobRef dlqJob = JobRef.of("repo-mp", "mapreduce-dlq");
        try (UnifiedStorage s = open()) {
            for (int i = 0; i < DLQ_ITEMS; i++) {
                s.dlq().add(dlqJob, DlqFailure.of("item_" + i, null, "failed"));
            }
        }

        long start = System.nanoTime();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int c = 0; c < CHILDREN; c++) {
                children.add(ChildJvm.start(MultiProcessChild.class, base.toString(), job.repository(), job.jobId(),
                        dlqJob.jobId(), "agent-" + c, String.valueOf(EVENTS_PER_CHILD), String.valueOf(BATCH)));
            }
            for (ChildJvm child : children) {
                assertThat(child.awaitExit(240)).as("child exit code; stderr:\n%s", child.stderr()).isZero();
                child.drain();
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        Set<Long> acknowledged = new HashSet<>();
        List<String> claimed = new ArrayList<>();
        Map<String, Set<Long>> byAgent = new HashMap<>();
        for (int c = 0; c < CHILDREN; c++) {
            ChildJvm child = children.get(c);
            assertThat(child.lines()).as("child %d finished", c).contains("DONE");
            for (String line : child.lines()) {
                String[] p = line.split(" ");
                if (p[0].equals("E")) {
                    for (long seq = Long.parseLong(p[1]); seq <= Long.parseLong(p[2]); seq++) {
                        if (!acknowledged.add(seq)) {
                            throw new AssertionError("sequence " + seq + " acknowledged twice");
                        }
                        byAgent.computeIfAbsent("agent-" + c, k -> new HashSet<>()).add(seq);
                    }
                } else if (p[0].equals("C")) {
                    claimed.add(p[1]);
                }
            }
        }
        int total = CHILDREN * EVENTS_PER_CHILD;
        assertThat(acknowledged).hasSize(total);

        try (UnifiedStorage s = open()) {
            assertThat(s.events().lastSequence(job)).isEqualTo(total);
            List<EventRecord> events;
            try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
                events = st.toList();
            }
            assertThat(events).hasSize(total);
            List<Long> outOfPlace = new ArrayList<>();
            List<Long> wrongAgent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                EventRecord e = events.get(i);
                if (e.sequence() != i + 1L) {
                    outOfPlace.add(e.sequence());
                }
                Set<Long> mine = byAgent.get(e.agentId());
                if (mine == null || !mine.contains(e.sequence())) {
                    wrongAgent.add(e.sequence());
                }
            }
            assertThat(outOfPlace).as("events whose sequence is not their position").isEmpty();
            assertThat(wrongAgent).as("events not acknowledged to the agent that appended them").isEmpty();
            assertThat(events.stream().map(EventRecord::id).distinct().count()).isEqualTo(total);
            assertThat(s.events().aggregate(job).totalEvents()).isEqualTo(total);

            assertThat(claimed).as("claimed DLQ items").hasSize(DLQ_ITEMS).doesNotHaveDuplicates();
            assertThat(s.dlq().stats(dlqJob).claimedItems()).isEqualTo(DLQ_ITEMS);
        }
        LOG.info("Multi-process result: {} JVMs x {} events (batches of {}) = {} events, sequences 1..{} gap-free"
                + " and unique; {} DLQ items claimed, none twice; {} s wall", CHILDREN, EVENTS_PER_CHILD, BATCH,
                total, total, claimed.size(), String.format("%.1f", seconds));
    }
}
