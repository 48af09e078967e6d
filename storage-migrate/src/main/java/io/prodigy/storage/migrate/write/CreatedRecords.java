package io.prodigy.storage.migrate.write;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.id.JobRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The journal of records a run is about to create in a target, written <em>before</em> each record's first write,
 * so that a run that fails half-way (even inside a DLQ replay or an event log append) knows everything it may have
 * created, and {@link #rollback} can remove it again.
 *
 * <p>Only records that did not exist before the run are journaled: a record the run found in place, or completed
 * after an earlier interrupted run, is not removed by a rollback (a re-run finds it and continues).
 *
 * <p><b>Event logs are kept, not removed.</b> A store never reuses a sequence: deleting a job keeps its high-water
 * mark, so a re-run could not put the legacy events back at the sequences they had, and it would take the emptied
 * log for one purged by retention. An append is all or nothing, so what a failed run leaves is a clean prefix of the
 * source log, which the re-run verifies and continues (see {@code EventLogSync}). The rollback reports these logs.
 *
 * <p>Thread-safe.
 */
public final class CreatedRecords {

    private record Checkpoint(CheckpointScope scope, String id) {}

    private record DlqItem(JobRef job, String itemId) {}

    private final Set<String> sessions = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> workflows = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<Checkpoint> checkpoints = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<DlqItem> dlqItems = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<JobRef> eventLogs = Collections.synchronizedSet(new LinkedHashSet<>());

    void session(String id) {
        sessions.add(id);
    }

    void workflow(String id) {
        workflows.add(id);
    }

    void checkpoint(CheckpointScope scope, String id) {
        checkpoints.add(new Checkpoint(scope, id));
    }

    void dlqItem(JobRef job, String itemId) {
        dlqItems.add(new DlqItem(job, itemId));
    }

    /** Journals a job whose log was empty before this run (reported, and kept, by a rollback). */
    public void eventLog(JobRef job) {
        eventLogs.add(job);
    }

    public int size() {
        return sessions.size() + workflows.size() + checkpoints.size() + dlqItems.size() + eventLogs.size();
    }

    /**
     * What a rollback did.
     *
     * @param removed    records that were removed
     * @param failures   the records that could not be removed, with the reason; a re-run of the migration finds them
     * @param keptEventLogs jobs whose event log this run started: kept as a clean prefix for the re-run to continue
     */
    public record Rollback(int removed, List<String> failures, List<JobRef> keptEventLogs) {

        public boolean complete() {
            return failures.isEmpty();
        }
    }

    /**
     * Removes every journaled record but the event logs from {@code target}; never throws for one record, collects
     * failures.
     */
    public Rollback rollback(UnifiedStorage target) {
        int removed = 0;
        List<String> failures = new ArrayList<>();
        for (DlqItem item : snapshot(dlqItems)) {
            removed += attempt(failures, "DLQ item " + item.job() + " " + item.itemId(),
                    () -> target.dlq().remove(item.job(), item.itemId(), null));
        }
        for (Checkpoint c : snapshot(checkpoints)) {
            removed += attempt(failures, "checkpoint " + c.scope() + " " + c.id(),
                    () -> target.checkpoints().delete(c.scope(), c.id()));
        }
        for (String id : snapshot(workflows)) {
            removed += attempt(failures, "workflow " + id, () -> target.workflows().delete(id));
        }
        for (String id : snapshot(sessions)) {
            removed += attempt(failures, "session " + id, () -> target.sessions().delete(id));
        }
        return new Rollback(removed, List.copyOf(failures), snapshot(eventLogs));
    }

    private interface Removal {
        boolean remove();
    }

    private static int attempt(List<String> failures, String what, Removal removal) {
        try {
            return removal.remove() ? 1 : 0;
        } catch (RuntimeException e) {
            failures.add(what + ": " + e.getMessage());
            return 0;
        }
    }

    private static <T> List<T> snapshot(Set<T> set) {
        synchronized (set) {
            return new ArrayList<>(set);
        }
    }
}
