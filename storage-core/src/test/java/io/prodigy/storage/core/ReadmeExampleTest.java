package io.prodigy.storage.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.id.RepositoryNames;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README.md's usage example, line for line, so the README cannot drift from the API. Only the opening differs. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns() {
        List<String> printed = new ArrayList<>();
        try (UnifiedStorage storage = StorageFactory.create().open(StorageConfig.forBackend("memory"))) {
            JobRef job = JobRef.of(RepositoryNames.fromPath(Path.of(".")), "mapreduce-42");
            storage.events().append(job, List.of(NewEvent.of("agent_failed", Json.nodes().objectNode().put("item", 7))));
            try (Stream<EventRecord> failed = storage.events().query(EventFilter.forJob(job).withEventType("agent_failed"))) {
                failed.forEach(e -> printed.add(e.sequence() + " " + e.data()));
            }
            LockLease lease = storage.locks().acquire("reduce:" + job.jobId(), Duration.ofMinutes(5), Duration.ofSeconds(30));
            try {
                storage.checkpoints().save(Checkpoint.job("reduce-1", job, CheckpointKind.REDUCE, 1, Instant.now(), 0, null),
                        lease.fence());
            } finally {
                storage.locks().release(lease);
            }

            assertThat(printed).containsExactly("1 {\"item\":7}");
            assertThat(storage.checkpoints().latest(CheckpointScope.job(job), CheckpointKind.REDUCE)).isPresent();
            assertThat(storage.locks().current("reduce:" + job.jobId())).isEmpty();
        }
    }
}
