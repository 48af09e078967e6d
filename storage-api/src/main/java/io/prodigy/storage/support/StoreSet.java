package io.prodigy.storage.support;

import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.util.Objects;

/** The six sub-stores of a {@link io.prodigy.storage.UnifiedStorage}, as one value. */
public record StoreSet(
        SessionStorage sessions, EventStorage events, CheckpointStorage checkpoints, DlqStorage dlq,
        WorkflowStorage workflows, LockService locks) {

    public StoreSet {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(dlq, "dlq");
        Objects.requireNonNull(workflows, "workflows");
        Objects.requireNonNull(locks, "locks");
    }
}
