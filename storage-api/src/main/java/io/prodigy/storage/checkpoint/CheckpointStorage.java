package io.prodigy.storage.checkpoint;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.support.Orders;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Workflow checkpoints and MapReduce job checkpoints.
 *
 * <p><b>Atomicity.</b> A checkpoint is written whole: a reader (or a process restarted after a crash) sees the old
 * or the new checkpoint, never a part.
 * <p><b>Concurrency.</b> Optimistic, as for sessions: revision 0 creates (conflict if the id exists in the scope), a
 * positive revision updates only if it matches; a save that finds its own write already stored returns it (see
 * {@link io.prodigy.storage.support.revision.Revisions}). Mutating calls accept a {@link Fence}; a stale one fails
 * with {@link FencingException} and changes nothing.
 * <p><b>Ordering.</b> "Newest" means greatest {@code createdAt}, ties broken by id by UTF-8 bytes
 * ({@link #NEWEST_LAST}). Listings order oldest first; across scopes, equal times and ids are ordered by scope
 * ({@link Orders#CHECKPOINTS}).
 */
public interface CheckpointStorage {

    /** Oldest first: by {@code createdAt}, then id by UTF-8 bytes. {@link #list} uses this order within a scope. */
    Comparator<CheckpointInfo> NEWEST_LAST =
            Comparator.comparing(CheckpointInfo::createdAt).thenComparing(CheckpointInfo::id, Orders.UTF8);

    /**
     * Creates or updates a checkpoint. If the checkpoint stored under its scope and id is at the presented revision
     * plus one and carries this write's {@link Checkpoint#writeId()}, the write was already applied (a retry after a
     * lost reply) and the stored copy is returned.
     *
     * @return the stored copy with its new revision
     * @throws VersionConflictException on a duplicate create or a stale revision
     * @throws FencingException         if {@code fence} is stale
     */
    Checkpoint save(Checkpoint checkpoint, Fence fence);

    default Checkpoint save(Checkpoint checkpoint) {
        return save(checkpoint, Fence.NONE);
    }

    Optional<Checkpoint> load(CheckpointScope scope, String id);

    /** The newest checkpoint of the scope, of any kind. */
    Optional<Checkpoint> latest(CheckpointScope scope);

    /** The newest checkpoint of the scope of the given kind. */
    Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind);

    /**
     * One page of the summaries of matching checkpoints, oldest first ({@link Orders#CHECKPOINTS}: {@code createdAt},
     * then id, then scope).
     *
     * <p>Each page is read on its own: a checkpoint that exists, matches and keeps its {@code createdAt} during the
     * whole walk is returned exactly once; one saved, deleted or moved to another {@code createdAt} meanwhile may be
     * missed or seen twice. The filter's {@code limit} does not apply here (the request's limit sizes the page).
     *
     * @param filter what to list; {@code null} lists all
     * @throws InvalidInputException if {@code page} is missing or its cursor is not one of this listing's
     */
    Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page);

    /**
     * Summaries of matching checkpoints, oldest first, at most {@code filter.limit()} (0: all): a walk of
     * {@link #list(CheckpointFilter, PageRequest)}.
     */
    default List<CheckpointInfo> list(CheckpointFilter filter) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        return Pages.all(f.limit(), page -> list(f, page));
    }

    /** @return {@code true} if it existed */
    boolean delete(CheckpointScope scope, String id, Fence fence);

    default boolean delete(CheckpointScope scope, String id) {
        return delete(scope, id, Fence.NONE);
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints of the scope ({@link #NEWEST_LAST} order).
     *
     * @return how many were deleted
     * @throws FencingException if {@code fence} is stale (nothing is deleted)
     */
    int prune(CheckpointScope scope, int keep, Fence fence);

    /** {@link #prune(CheckpointScope, int, Fence)} without fencing. */
    default int prune(CheckpointScope scope, int keep) {
        return prune(scope, keep, Fence.NONE);
    }
}
