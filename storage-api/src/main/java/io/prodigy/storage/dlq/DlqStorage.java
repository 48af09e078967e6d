package io.prodigy.storage.dlq;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Dead-letter queues, one per job.
 *
 * <p><b>Atomicity.</b> Each call is atomic per item: adding a failure, claiming, removing and releasing never lose a
 * concurrent update to the same item, and never rewrite other items.
 * <p><b>Deduplication.</b> Items are keyed by {@code (job, itemId)}. A second failure of an item appends to its
 * history and increments its retry count; it never creates a second item. A failure is recorded once: adding a
 * {@link DlqFailure} whose {@link DlqFailure#failureId()} the item's history already holds changes nothing, so an
 * {@link #add} retried after a lost reply is safe, and so is a {@link #release} with an error.
 * <p><b>Claims.</b> {@link #claim} hands each item to at most one live claim at a time, across threads, processes and
 * hosts sharing the store. A claim expires after its lease; then the item can be claimed again. Its holder can
 * {@link #extendClaim extend} it while it is live. Removing or releasing needs the token of the item's claim: the live
 * one, or a lapsed one nobody has re-claimed the item with since (as {@link io.prodigy.storage.lock.LockService#release}
 * accepts an expired lease nobody took over).
 * <p><b>Ordering.</b> {@link #list} goes oldest first ({@code enqueuedAt}, then item id by UTF-8 bytes,
 * {@link io.prodigy.storage.support.Orders#DLQ_ITEMS}); {@link #claim} takes the oldest available items (those not
 * under a live claim), so under concurrent claims an item may be skipped for a younger one that is free;
 * {@link #listJobs} goes by repository, then job id.
 * <p><b>Fencing.</b> Every mutating call accepts a {@link Fence}; a stale one fails with {@link FencingException} and
 * changes nothing. The overloads without a fence use {@link Fence#NONE}.
 */
public interface DlqStorage {

    /**
     * Records a failure: creates the item or appends to its history, unless the history already holds the failure's
     * id (then the item is returned unchanged).
     *
     * @return the stored item
     * @throws FencingException if {@code fence} is stale
     */
    DlqItem add(JobRef job, DlqFailure failure, Fence fence);

    /** {@link #add(JobRef, DlqFailure, Fence)} without fencing. */
    default DlqItem add(JobRef job, DlqFailure failure) {
        return add(job, failure, Fence.NONE);
    }

    Optional<DlqItem> get(JobRef job, String itemId);

    /**
     * One page of the matching items of one job's queue, oldest first ({@code enqueuedAt}, then item id). Each page is
     * read on its own: an item present during the whole walk is returned exactly once (a claim or a release does not
     * move it; its {@code enqueuedAt} never changes). The filter's {@code limit} does not apply here. The cursor
     * belongs to this job's listing only.
     *
     * @throws InvalidInputException if {@code filter} or {@code page} is missing, or the cursor is not one of this
     *                               job's listing
     */
    Page<DlqItem> list(DlqFilter filter, PageRequest page);

    /**
     * Matching items, oldest first, at most {@code filter.limit()} (0: all): a walk of
     * {@link #list(DlqFilter, PageRequest)}.
     *
     * @throws InvalidInputException if {@code filter} is missing
     */
    default List<DlqItem> list(DlqFilter filter) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        return Pages.all(filter.limit(), page -> list(filter, page));
    }

    DlqStats stats(JobRef job);

    /**
     * Claims up to {@code maxItems} of the oldest available items (unclaimed, or whose claim expired) for
     * {@code worker}, each under a fresh token.
     *
     * @return the claimed items, oldest first, each with its {@link DlqItem#claim()} set; empty if none is available
     * @throws FencingException if {@code fence} is stale (nothing is claimed)
     */
    List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence);

    /** {@link #claim(JobRef, String, int, Duration, Fence)} without fencing. */
    default List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease) {
        return claim(job, worker, maxItems, lease, Fence.NONE);
    }

    /**
     * Extends a live claim to {@code lease} from now (the store's clock); its token stays the same. For a holder whose
     * reprocessing outlives the lease it claimed with. The claim token is the holder's proof, so this takes no fence.
     *
     * @return the item with the extended claim
     * @throws NotFoundException    if the item does not exist
     * @throws LockNotHeldException if {@code claimToken} is not the item's claim, or the claim has lapsed (claim the
     *                              item again)
     */
    DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease);

    /**
     * Removes an item after it was reprocessed successfully.
     *
     * @param claimToken the token of the item's claim (live, or lapsed without a re-claim), or {@code null} to remove
     *                   regardless of claims (operator use)
     * @return {@code true} if the item existed and was removed
     * @throws LockNotHeldException if the item is not claimed or claimed under another token
     * @throws FencingException     if {@code fence} is stale
     */
    boolean remove(JobRef job, String itemId, String claimToken, Fence fence);

    /** {@link #remove(JobRef, String, String, Fence)} without fencing. */
    default boolean remove(JobRef job, String itemId, String claimToken) {
        return remove(job, itemId, claimToken, Fence.NONE);
    }

    /**
     * Gives a claimed item back to the queue after its reprocessing failed. With a non-null {@code error} the failure
     * is recorded as by {@link #add}, by the claim's worker, under an id derived from the claim token: a release with
     * an error that was already applied (retried after a lost reply) returns the item as stored.
     *
     * @param claimToken the token of the item's claim (live, or lapsed without a re-claim)
     * @return the item as stored after the release
     * @throws NotFoundException    if the item does not exist
     * @throws LockNotHeldException if the item is not claimed or claimed under another token
     * @throws FencingException     if {@code fence} is stale
     */
    DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence);

    /** {@link #release(JobRef, String, String, String, Fence)} without fencing. */
    default DlqItem release(JobRef job, String itemId, String claimToken, String error) {
        return release(job, itemId, claimToken, error, Fence.NONE);
    }

    /**
     * Removes every item of the job's queue, claimed or not.
     *
     * @return how many items were removed
     * @throws FencingException if {@code fence} is stale (nothing is removed)
     */
    long purge(JobRef job, Fence fence);

    /** {@link #purge(JobRef, Fence)} without fencing. */
    default long purge(JobRef job) {
        return purge(job, Fence.NONE);
    }

    /**
     * One page of the jobs with at least one item, in {@code repository} or in all repositories if it is
     * {@code null}, by repository, then job id ({@link io.prodigy.storage.support.Orders#DLQ_JOBS}).
     *
     * @throws InvalidInputException if the repository name is invalid, {@code page} is missing or its cursor is not
     *                               one of this listing's
     */
    Page<JobRef> listJobs(String repository, PageRequest page);

    /** Every job with at least one item, in the order of {@link #listJobs(String, PageRequest)}, whose walk it is. */
    default List<JobRef> listJobs(String repository) {
        return Pages.all(0, page -> listJobs(repository, page));
    }
}
