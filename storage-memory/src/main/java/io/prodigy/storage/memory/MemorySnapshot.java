package io.prodigy.storage.memory;

import io.prodigy.storage.json.Json;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.time.Instant;
import java.util.List;

/**
 * Everything a memory store holds, as written to {@code persistence_path}: every record, each job's sequence
 * high-water mark (so sequences continue after a purge and a restart) and the locks' token high-water marks (so
 * fencing tokens never go backwards across a restart). Serialized with {@link Json#mapper()}.
 *
 * @param format layout version of this file; a reader refuses versions it does not know
 */
record MemorySnapshot(
        int format,
        Instant writtenAt,
        List<PersistedSession> sessions,
        List<MemoryEventStorage.JobLogState> eventLogs,
        List<Checkpoint> checkpoints,
        List<DlqItem> dlqItems,
        List<WorkflowDefinition> workflows,
        List<WorkflowExecution> workflowExecutions,
        MemoryLeaseStore.LockTable locks) {

    /** The layout this version writes and reads. */
    static final int FORMAT = 1;

    MemorySnapshot {
        sessions = orEmpty(sessions);
        eventLogs = orEmpty(eventLogs);
        checkpoints = orEmpty(checkpoints);
        dlqItems = orEmpty(dlqItems);
        workflows = orEmpty(workflows);
        workflowExecutions = orEmpty(workflowExecutions);
        locks = locks == null ? new MemoryLeaseStore.LockTable(null, null, null) : locks;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
