package io.prodigy.storage.workflow;

/** Status of one workflow execution. */
public enum ExecutionStatus {
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED
}
