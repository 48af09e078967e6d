package io.prodigy.storage.dashboard.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.memory.MemoryStorageProvider;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A job's status and progress as its lifecycle events tell them. */
class JobSummaryTest {

    private final UnifiedStorage storage =
            new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), StorageContext.system());

    @Test
    void theLastLifecycleEventDecidesTheStatus() {
        assertThat(statusAfter("job_started")).isEqualTo(JobStatus.RUNNING);
        assertThat(statusAfter("job_started", "agent_failed")).isEqualTo(JobStatus.RUNNING);
        assertThat(statusAfter("job_started", "job_paused")).isEqualTo(JobStatus.PAUSED);
        assertThat(statusAfter("job_started", "job_paused", "job_resumed")).isEqualTo(JobStatus.RUNNING);
        assertThat(statusAfter("job_started", "job_failed", "agent_progress")).isEqualTo(JobStatus.FAILED);
        assertThat(statusAfter("job_started", "job_completed")).isEqualTo(JobStatus.COMPLETED);
        assertThat(statusAfter("agent_started", "agent_completed")).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aJobWithOnlyDlqItemsHasAnUnknownStatusAndNoProgress() {
        JobRef job = JobRef.of("r", "dlq-only");
        storage.dlq().add(job, DlqFailure.of("i-1", null, "boom"));
        JobSummary s = JobSummary.of(storage, job);
        assertThat(s.status()).isEqualTo(JobStatus.UNKNOWN);
        assertThat(s.progress()).isNull();
        assertThat(s.dlqDepth()).isEqualTo(1);
    }

    @Test
    void progressCountsCompletedItemsAgainstTheAnnouncedTotal() {
        JobRef job = JobRef.of("r", "progress");
        storage.events().append(job, List.of(
                NewEvent.of("job_started", Json.nodes().objectNode().put("total_items", 8)),
                NewEvent.of("agent_completed", null), NewEvent.of("agent_completed", null),
                NewEvent.of("agent_failed", null)));
        assertThat(JobSummary.of(storage, job).progress()).isEqualTo(new JobProgress(2, 8, 25));
        storage.events().append(job, List.of(NewEvent.of("job_completed", null)));
        assertThat(JobSummary.of(storage, job).progress()).isEqualTo(new JobProgress(2, 8, 100));
        assertThat(Json.mapper().valueToTree(JobSummary.of(storage, job)).get("status").asText())
                .isEqualTo("completed");
    }

    private JobStatus statusAfter(String... types) {
        JobRef job = JobRef.of("r", "job-" + Math.abs(String.join("-", types).hashCode()));
        storage.events().append(job, Stream.of(types).map(t -> NewEvent.of(t, null)).toList());
        return JobSummary.of(storage, job).status();
    }
}
