package io.prodigy.storage.support.revision;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowDefinition;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The optimistic-concurrency rule of every versioned record (sessions, checkpoints, workflow definitions), written
 * once for every backend. A backend reads the current record under its write lock (or in its transaction), asks
 * {@link #session}, {@link #checkpoint} or {@link #workflow} what to do, and writes {@link Saved#record()} unless it
 * is {@link Saved#alreadyStored()}.
 *
 * <p><b>The rule.</b> A write presenting revision {@code n} is stored as revision {@code n + 1} if the stored revision
 * is {@code n} (0: nothing stored under the key). Otherwise it fails with a {@link VersionConflictException} naming
 * both revisions, except in one case: if the stored record is at {@code n + 1} and carries this write's write id, the
 * write was already applied, by an attempt whose reply was lost, and the stored record is returned as the result. A
 * retry of a save therefore never reports a conflict with its own write. The write id, not the content, decides:
 * two writers that read revision {@code n} and both build the same next version (two increments of one counter)
 * are two writes, and the second must conflict, or an update would be lost.
 */
public final class Revisions {

    private Revisions() {}

    /**
     * What a save resolves to.
     *
     * @param record        the record the store holds after the save: the new version to write, or the stored one
     * @param alreadyStored {@code true} if {@code record} is already stored (this very write was applied before), so
     *                      nothing must be written
     */
    public record Saved<T>(T record, boolean alreadyStored) {}

    /**
     * Resolves a save of a session.
     *
     * @param write   the session as presented (its revision is the one the caller read)
     * @param current the stored session under the same id, or {@code null}
     * @param now     the store's time, for {@code updatedAt} of a new version
     * @throws VersionConflictException if the revisions do not match and {@code current} is not this write
     */
    public static Saved<PersistedSession> session(PersistedSession write, PersistedSession current, Instant now) {
        return resolve("session", write.id(), write.revision(), current, PersistedSession::revision,
                PersistedSession::writeId, next -> write.stored(next, now));
    }

    /** Resolves a save of a checkpoint (conflicts name {@code scope/id}); see {@link #session}. */
    public static Saved<Checkpoint> checkpoint(Checkpoint write, Checkpoint current) {
        return resolve("checkpoint", write.scope() + "/" + write.id(), write.revision(), current,
                Checkpoint::revision, Checkpoint::writeId, write::withRevision);
    }

    /** Resolves a save of a workflow definition; see {@link #session}. */
    public static Saved<WorkflowDefinition> workflow(WorkflowDefinition write, WorkflowDefinition current,
            Instant now) {
        return resolve("workflow", write.id(), write.revision(), current, WorkflowDefinition::revision,
                WorkflowDefinition::writeId, next -> write.stored(next, now));
    }

    /** The version that writing a record presented with {@code presented} over {@code stored} creates. */
    @FunctionalInterface
    private interface NextVersion<T> {
        T at(long revision);
    }

    private static <T> Saved<T> resolve(String kind, String key, long presented, T current,
            ToLongFunction<T> revisionOf, Function<T, String> writeIdOf, NextVersion<T> next) {
        long actual = current == null ? 0 : revisionOf.applyAsLong(current);
        if (presented == actual) {
            return new Saved<>(next.at(actual + 1), false);
        }
        T write = next.at(presented + 1);
        String writeId = writeIdOf.apply(write);
        if (current != null && actual == presented + 1 && writeId != null && writeId.equals(writeIdOf.apply(current))) {
            return new Saved<>(current, true);
        }
        throw new VersionConflictException(kind, key, presented, actual);
    }
}
