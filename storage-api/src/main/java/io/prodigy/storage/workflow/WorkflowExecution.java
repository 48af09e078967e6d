package io.prodigy.storage.workflow;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.support.InstantRange;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One run of a workflow.
 *
 * @param finishedAt {@code null} while running
 * @param duration   {@code null} while running; truncated to whole microseconds, the precision of every stored time
 *                   ({@link InstantRange#PRECISION}), so every backend returns what was saved
 */
public record WorkflowExecution(
        String id, String workflowId, Instant startedAt, Instant finishedAt, ExecutionStatus status,
        Duration duration) {

    public WorkflowExecution {
        Ids.check("execution id", id);
        Ids.check("workflow id", workflowId);
        Objects.requireNonNull(startedAt, "startedAt");
        startedAt = InstantRange.check("execution started_at", startedAt);
        finishedAt = InstantRange.check("execution finished_at", finishedAt);
        Objects.requireNonNull(status, "status");
        duration = duration == null ? null : duration.truncatedTo(InstantRange.PRECISION);
    }

    /** The execution finished at {@code at} with {@code finalStatus}; the duration is derived. */
    public WorkflowExecution finished(ExecutionStatus finalStatus, Instant at) {
        return new WorkflowExecution(id, workflowId, startedAt, at, finalStatus, Duration.between(startedAt, at));
    }
}
