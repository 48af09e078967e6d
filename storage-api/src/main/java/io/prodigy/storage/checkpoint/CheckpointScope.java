package io.prodigy.storage.checkpoint;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;

/**
 * What a checkpoint belongs to: a workflow (global) or a MapReduce job (within a repository). Exactly one of
 * {@code workflowId} and {@code job} is set.
 */
public record CheckpointScope(String workflowId, JobRef job) {

    public CheckpointScope {
        if ((workflowId == null) == (job == null)) {
            throw new IllegalArgumentException("exactly one of workflowId and job must be set");
        }
        if (workflowId != null) {
            Ids.check("workflow id", workflowId);
        }
    }

    public static CheckpointScope workflow(String workflowId) {
        return new CheckpointScope(workflowId, null);
    }

    public static CheckpointScope job(JobRef job) {
        return new CheckpointScope(null, job);
    }

    public boolean isJob() {
        return job != null;
    }

    @Override
    public String toString() {
        return isJob() ? "job " + job : "workflow " + workflowId;
    }
}
