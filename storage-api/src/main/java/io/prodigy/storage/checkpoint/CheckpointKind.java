package io.prodigy.storage.checkpoint;

/**
 * What a checkpoint captures. {@link #WORKFLOW} checkpoints belong to a workflow; the three MapReduce kinds belong
 * to a job (docs/configuration.md: {@code setup-checkpoint.json}, {@code map-checkpoint-{ts}.json},
 * {@code reduce-checkpoint-v{version}-{ts}.json}).
 */
public enum CheckpointKind {
    WORKFLOW,
    SETUP,
    MAP,
    REDUCE;

    public boolean isJobKind() {
        return this != WORKFLOW;
    }
}
