package io.prodigy.storage.migrate;

/**
 * The kinds of records a migration moves, counts and verifies. Locks are deliberately absent: a lease belongs to a
 * running process of the store it was granted by, so it is never copied or imported.
 */
public enum RecordType {
    SESSION,
    WORKFLOW,
    WORKFLOW_EXECUTION,
    CHECKPOINT,
    DLQ_ITEM,
    EVENT
}
