package io.prodigy.storage.dlq;

import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.JobRef;
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
 * history and increments its retry count; it never creates a second item.
 * <p><b>Claims.</b> {@link #claim} hands each item to at most one live claim at a time, across threads, processes and
 * hosts sharing the store. A claim expires after its lease; then the item can be claimed again. Removing or releasing
 * needs the live claim's token.
 * <p><b>Ordering.</b> {@link #list} and {@link #claim} go oldest first ({@code enqueuedAt}, then item id by UTF-8
 * bytes, {@link io.prodigy.storage.support.Orders#DLQ_ITEMS}); {@link #listJobs} by repository, then job id.
 */
public interface DlqStorage {

    /**
     * Records a failure: creates the item or appends to its history.
     *
     * @return the stored item
     */
    DlqItem add(JobRef job, DlqFailure failure);

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
     * Claims up to {@code maxItems} unclaimed items (or items whose claim expired) for {@code worker}, oldest first.
     *
     * @return the claimed items, each with its {@link DlqItem#claim()} set; empty if none is available
     */
    List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease);

    /**
     * Removes an item after it was reprocessed successfully.
     *
     * @param claimToken the live claim's token, or {@code null} to remove regardless of claims (operator use)
     * @return {@code true} if the item existed and was removed
     * @throws LockNotHeldException if {@code claimToken} is not the item's live claim
     */
    boolean remove(JobRef job, String itemId, String claimToken);

    /**
     * Gives a claimed item back to the queue after its reprocessing failed. With a non-null {@code error} the failure
     * is recorded as by {@link #add} (history appended, retry count incremented).
     *
     * @return the item as stored after the release
     * @throws NotFoundException     if the item does not exist
     * @throws LockNotHeldException if {@code claimToken} is not the item's live claim
     */
    DlqItem release(JobRef job, String itemId, String claimToken, String error);

    /**
     * Removes every item of the job's queue, claimed or not.
     *
     * @return how many items were removed
     */
    long purge(JobRef job);

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
