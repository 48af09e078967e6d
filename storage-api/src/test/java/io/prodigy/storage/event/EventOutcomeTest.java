package io.prodigy.storage.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventOutcomeTest {

    @ParameterizedTest
    @CsvSource({"agent_failed,ERROR", "job_failed,ERROR", "checkpoint_failed,ERROR", "parse_error,ERROR",
            "agent_completed,SUCCESS", "job_completed,SUCCESS", "worktree_merged,SUCCESS",
            "agent_started,PENDING", "agent_retrying,PENDING", "job_paused,PENDING", "job_resumed,PENDING",
            "agent_progress,OTHER", "queue_depth_changed,OTHER", "dlq_item_added,OTHER"})
    void classifiesTheOriginalToolsEventTypes(String type, EventOutcome expected) {
        assertThat(EventOutcome.of(type)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void statsBuilderCountsByOutcomeAndType() {
        JobRef job = JobRef.of("repo", "job");
        EventStats s = EventStats.builder(job)
                .add("agent_started", Instant.parse("2025-01-01T00:00:02Z"), 1, 1)
                .add("agent_failed", Instant.parse("2025-01-01T00:00:01Z"), 2, 1)
                .add("agent_completed", Instant.parse("2025-01-01T00:00:03Z"), 3, 2)
                .build();
        assertThat(s.totalEvents()).isEqualTo(4);
        assertThat(s.errorCount()).isEqualTo(1);
        assertThat(s.successCount()).isEqualTo(2);
        assertThat(s.pendingCount()).isEqualTo(1);
        assertThat(s.firstEvent()).isEqualTo(Instant.parse("2025-01-01T00:00:01Z"));
        assertThat(s.lastEvent()).isEqualTo(Instant.parse("2025-01-01T00:00:03Z"));
        assertThat(s.countsByType()).containsEntry("agent_completed", 2L).hasSize(3);
        assertThat(s.lastSequence()).isEqualTo(3);
    }
}
