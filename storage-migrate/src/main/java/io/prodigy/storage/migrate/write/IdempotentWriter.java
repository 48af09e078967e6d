package io.prodigy.storage.migrate.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import io.prodigy.storage.migrate.verify.RecordDigests;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Writes records to a migration target so that running the same migration twice changes nothing the second time:
 * a missing record is created, an identical one ({@link RecordDigests#same}) is left alone, a different one is a
 * {@link WriteOutcome#CONFLICT} and is left alone too (the caller decides what a conflict means). In a dry run the
 * target is only read.
 *
 * <p>Store-managed fields (revision, update time, claims) are not compared, see {@link RecordDigests}. A create that
 * races with another writer ({@link VersionConflictException}) is resolved by comparing with what won.
 *
 * <p><b>Mirroring.</b> A writer made by {@link #mirroring} replaces a different record with the desired one instead of
 * reporting a conflict ({@link WriteOutcome#UPDATED}): for a live migration, whose target follows a source that is
 * still being written to, so a record that changed in the source since the last pass is changed in the target too.
 * A replace presents the target's current revision; the migration is the target's only writer until cut-over.
 */
public final class IdempotentWriter {

    private final UnifiedStorage target;
    private final boolean dryRun;
    private final CreatedRecords journal;
    private final boolean replaceDifferent;

    public IdempotentWriter(UnifiedStorage target, boolean dryRun) {
        this(target, dryRun, new CreatedRecords());
    }

    /** @param journal told about every record before it is first written, for a rollback */
    public IdempotentWriter(UnifiedStorage target, boolean dryRun, CreatedRecords journal) {
        this(target, dryRun, journal, false);
    }

    private IdempotentWriter(UnifiedStorage target, boolean dryRun, CreatedRecords journal, boolean replaceDifferent) {
        this.target = target;
        this.dryRun = dryRun;
        this.journal = journal;
        this.replaceDifferent = replaceDifferent;
    }

    /** A writer that replaces records the target holds differently (see "Mirroring" above); never a dry run. */
    public static IdempotentWriter mirroring(UnifiedStorage target) {
        return new IdempotentWriter(target, false, new CreatedRecords(), true);
    }

    public boolean dryRun() {
        return dryRun;
    }

    public WriteResult session(PersistedSession desired) {
        return createOrCompare("session " + desired.id(), desired,
                () -> target.sessions().load(desired.id()),
                () -> journal.session(desired.id()),
                revision -> target.sessions().save(new PersistedSession(desired.id(), desired.state(),
                        desired.startedAt(), desired.updatedAt(), desired.iterationsCompleted(), desired.filesChanged(),
                        desired.worktreeName(), desired.metadata(), revision)),
                PersistedSession::revision, RecordDigests::content);
    }

    public WriteResult workflow(WorkflowDefinition desired) {
        return createOrCompare("workflow " + desired.id(), desired,
                () -> target.workflows().load(desired.id()),
                () -> journal.workflow(desired.id()),
                revision -> target.workflows().save(new WorkflowDefinition(desired.id(), desired.name(),
                        desired.version(), desired.createdAt(), desired.updatedAt(), desired.content(),
                        desired.metadata(), revision)),
                WorkflowDefinition::revision, RecordDigests::content);
    }

    public WriteResult checkpoint(Checkpoint desired) {
        return createOrCompare("checkpoint " + desired.scope() + " " + desired.id(), desired,
                () -> target.checkpoints().load(desired.scope(), desired.id()),
                () -> journal.checkpoint(desired.scope(), desired.id()),
                revision -> target.checkpoints().save(desired.withRevision(revision)),
                Checkpoint::revision, RecordDigests::content);
    }

    /**
     * The create-or-compare step shared by the optimistic record types: create with revision 0 if absent (a lost
     * create race falls back to comparing with the winner), otherwise compare contents; a mirroring writer replaces
     * a different record at its revision.
     *
     * @param save saves the desired record at the given revision (0: create)
     */
    private <T> WriteResult createOrCompare(String key, T desired, Supplier<Optional<T>> load, Runnable journalIt,
            LongFunction<T> save, ToLongFunction<T> revision, Function<T, ObjectNode> content) {
        Supplier<T> create = () -> save.apply(0);
        Optional<T> existing = load.get();
        if (existing.isEmpty() && !dryRun) {
            journalIt.run();
            try {
                T stored = create.get();
                return sameContent(content, stored, desired) ? WriteResult.of(WriteOutcome.CREATED, key)
                        : WriteResult.conflict(key, "the target stored it differently: "
                                + Differences.describe(content.apply(desired), content.apply(stored)));
            } catch (VersionConflictException raced) {
                existing = load.get();
            }
        }
        if (existing.isEmpty()) {
            return WriteResult.of(WriteOutcome.CREATED, key);
        }
        if (sameContent(content, existing.get(), desired)) {
            return WriteResult.of(WriteOutcome.PRESENT, key);
        }
        if (replaceDifferent) {
            save.apply(revision.applyAsLong(existing.get()));
            return WriteResult.of(WriteOutcome.UPDATED, key);
        }
        return WriteResult.conflict(key, "the target already holds a different record: "
                + Differences.describe(content.apply(desired), content.apply(existing.get())));
    }

    private static <T> boolean sameContent(Function<T, ObjectNode> content, T a, T b) {
        return same(content.apply(a), content.apply(b));
    }

    /**
     * Records an execution unless an identical one is stored.
     *
     * @param existing the target's executions of the same workflow, by id (read once per workflow by the caller)
     */
    public WriteResult execution(WorkflowExecution desired, Map<String, WorkflowExecution> existing) {
        String key = "execution " + desired.workflowId() + "/" + desired.id();
        WorkflowExecution stored = existing.get(desired.id());
        if (stored != null) {
            if (RecordDigests.same(stored, desired)) {
                return WriteResult.of(WriteOutcome.PRESENT, key);
            }
            if (replaceDifferent) {
                target.workflows().recordExecution(desired); // an upsert by id
                return WriteResult.of(WriteOutcome.UPDATED, key);
            }
            return WriteResult.conflict(key, "the target already holds a different execution: "
                    + Differences.describe(RecordDigests.content(desired), RecordDigests.content(stored)));
        }
        if (!dryRun) {
            target.workflows().recordExecution(desired);
        }
        return WriteResult.of(WriteOutcome.CREATED, key);
    }

    /**
     * Makes the target hold {@code desired} by replaying its failure history through {@code DlqStorage.add}: the
     * first failure carries the work item and all metadata, each later one only its own failure. If an interrupted
     * run left the item with the first part of that history, the rest is appended ({@link WriteOutcome#CONTINUED}).
     *
     * @param desired an item whose {@code enqueuedAt}, {@code lastFailedAt}, {@code retryCount} and
     *                {@code lastError} follow from its history, as for every item a store built
     * @throws IllegalArgumentException if {@code desired} has no failure history
     */
    public WriteResult dlqItem(DlqItem desired) {
        String key = "DLQ item " + desired.job() + " " + desired.itemId();
        List<FailureRecord> history = desired.failureHistory();
        if (history.isEmpty()) {
            throw new IllegalArgumentException(key + " has no failure history to replay");
        }
        Optional<DlqItem> existing = target.dlq().get(desired.job(), desired.itemId());
        int start = 0;
        if (existing.isPresent()) {
            if (RecordDigests.same(existing.get(), desired)) {
                return WriteResult.of(WriteOutcome.PRESENT, key);
            }
            if (!isPrefix(existing.get(), desired) && replaceDifferent) {
                // Removed and failed again in the source since the last pass: rebuild it from its history.
                target.dlq().remove(desired.job(), desired.itemId(), null);
                WriteResult rebuilt = dlqItem(desired);
                return rebuilt.isConflict() ? rebuilt : WriteResult.of(WriteOutcome.UPDATED, key);
            }
            if (!isPrefix(existing.get(), desired)) {
                return WriteResult.conflict(key, "the target already holds a different item: " + Differences.describe(
                        RecordDigests.content(desired), RecordDigests.content(existing.get())));
            }
            start = existing.get().failureHistory().size();
        }
        WriteOutcome outcome = start == 0 ? WriteOutcome.CREATED : WriteOutcome.CONTINUED;
        if (dryRun) {
            return WriteResult.of(outcome, key);
        }
        if (start == 0) {
            journal.dlqItem(desired.job(), desired.itemId());
        }
        DlqItem stored = existing.orElse(null);
        for (int i = start; i < history.size(); i++) {
            FailureRecord f = history.get(i);
            boolean first = i == 0;
            stored = target.dlq().add(desired.job(), new DlqFailure(desired.itemId(),
                    first ? desired.workItem() : null, f.error(), f.agentId(), f.details(),
                    first ? desired.metadata() : Map.of(), f.at(),
                    // The source's failure id, or one fixed by the history position: a replay resent after a lost
                    // reply is then recorded once.
                    f.failureId() != null ? f.failureId() : "migrated-" + i));
        }
        return RecordDigests.same(stored, desired) ? WriteResult.of(outcome, key)
                : WriteResult.conflict(key, "the target stored it differently: " + Differences.describe(
                        RecordDigests.content(desired), RecordDigests.content(stored)));
    }

    /** Whether {@code partial} is what an interrupted replay of {@code desired} leaves behind. */
    private static boolean isPrefix(DlqItem partial, DlqItem desired) {
        List<FailureRecord> done = partial.failureHistory();
        List<FailureRecord> all = desired.failureHistory();
        if (done.isEmpty() || done.size() >= all.size()
                || !partial.enqueuedAt().equals(desired.enqueuedAt())
                || !same(partial.workItem(), desired.workItem())
                || !partial.metadata().equals(desired.metadata())) {
            return false;
        }
        for (int i = 0; i < done.size(); i++) {
            if (!CanonicalJson.write(RecordDigests.content(done.get(i)))
                    .equals(CanonicalJson.write(RecordDigests.content(all.get(i))))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return CanonicalJson.write(a).equals(CanonicalJson.write(b));
    }
}
