package io.prodigy.storage.event;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Per-job append-only event logs.
 *
 * <p><b>Ordering.</b> The events of one job are totally ordered by their {@code sequence}: 1, 2, 3, … with no gaps
 * and no duplicates, assigned by the store at append time, even when many processes append to the same job. No
 * order between jobs is promised.
 * <p><b>Sequences are never reused.</b> Each job has a high-water mark, the highest sequence ever assigned to it;
 * neither {@link #purge} nor {@link #deleteJob} lowers it, so a new append always continues above every sequence the
 * job ever had, and a position persisted by a subscriber stays meaningful for the life of the store.
 * {@link #lastSequence} returns that mark. The invariant subscriptions rely on: once {@code lastSequence} returned
 * {@code n}, every stored event with a sequence {@code <= n} is visible to the next {@link #query}.
 * <p><b>Atomicity.</b> An append is all or nothing: a reader sees every event of a batch or none of them, and the
 * batch's events take consecutive sequence numbers. A failed append is never partially applied; if the failure
 * says its outcome is unknown (a timeout, a lost reply), it may have been applied in full.
 * <p><b>Idempotency.</b> With {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}, an event whose id the job
 * already holds is not stored again: the append stores the batch's other events, in batch order, on consecutive
 * sequences, and reports the skipped ones in {@link AppendResult#alreadyStored()}. So an append retried after an
 * unknown outcome never stores its events twice. A backend may limit the look-up to a window: the events with the
 * job's most recent sequences, at least the last {@link #IDEMPOTENCY_WINDOW} sequences assigned (memory checks the
 * whole log, file exactly that window); an event purged or deleted is no longer held, and appending its id again
 * stores it again.
 * <p><b>Fencing.</b> The mutating calls take a {@link Fence}: if a lease with a higher token has been granted for the
 * fence's key, the call fails with {@link FencingException} and changes nothing. The overloads without a fence use
 * {@link Fence#NONE}.
 * <p><b>Durability.</b> When {@link #append} returns, the events survive a crash of the process (and, for durable
 * backends, of the machine).
 * <p><b>Streams.</b> {@link #query} is finite and lazy: it reads as the caller consumes and never holds the whole
 * result in memory. It must be closed (try-with-resources). It reflects at least every append that returned before
 * the query started.
 * <p><b>Subscriptions.</b> {@link #subscribe} is infinite: every matching event with a sequence above the start is
 * delivered at least once, in sequence order, on a thread owned by the store. Backends' change notifications are only
 * wake-up hints; delivery is driven by re-reading the log, so a lost notification delays but never loses an event.
 */
public interface EventStorage {

    /**
     * The fewest most recent sequences of a job whose events a backend with
     * {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND} checks a new event's id against.
     */
    int IDEMPOTENCY_WINDOW = 10_000;

    /**
     * Appends a batch to one job's log, atomically: every event of the batch that is stored becomes visible at once,
     * on consecutive sequences above the job's high-water mark, in batch order. The fence is checked atomically with
     * the write on backends with {@link io.prodigy.storage.Capability#ATOMIC_FENCING}.
     *
     * @return what was stored, and where already stored events of the batch are
     * @throws InvalidInputException if the batch is empty or an event is invalid (nothing is stored)
     * @throws StorageFullException  if the batch does not fit (nothing is stored)
     * @throws FencingException      if {@code fence} is stale (nothing is stored)
     */
    AppendResult append(JobRef job, List<NewEvent> events, Fence fence);

    /** {@link #append(JobRef, List, Fence)} without fencing. */
    default AppendResult append(JobRef job, List<NewEvent> events) {
        return append(job, events, Fence.NONE);
    }

    /** Matching events in sequence order. Close the stream. */
    Stream<EventRecord> query(EventFilter filter);

    /** Totals for one job; {@link EventStats#empty} if it has no events. */
    EventStats aggregate(JobRef job);

    /**
     * The job's high-water mark: the highest sequence ever assigned to it (kept across {@link #purge} and
     * {@link #deleteJob}), or 0 if it never had an event. Every stored event with a sequence up to the returned value
     * is visible to a {@link #query} started afterwards. Not the highest sequence still present: that is
     * {@link EventStats#lastSequence()}.
     */
    long lastSequence(JobRef job);

    /**
     * One page of the jobs that have at least one event, in {@code repository} or in every repository if it is
     * {@code null}, by repository, then job id by UTF-8 bytes ({@link io.prodigy.storage.support.Orders#EVENT_JOBS}).
     *
     * @throws InvalidInputException if the repository name is invalid, {@code page} is missing or its cursor is not
     *                               one of this listing's
     */
    Page<JobRef> listJobs(String repository, PageRequest page);

    /** Every job that has at least one event, in the order of {@link #listJobs(String, PageRequest)}, whose walk it is. */
    default List<JobRef> listJobs(String repository) {
        return Pages.all(0, page -> listJobs(repository, page));
    }

    /**
     * Delivers matching events with {@code sequence > afterSequence} to {@code handler}, then every new one as it is
     * appended. If the handler throws, the subscription stops (see {@link EventSubscription#isActive()}).
     *
     * @param afterSequence where to start: 0 for the whole log, {@link #lastSequence} for only new events, or a
     *                      sequence persisted from {@link EventSubscription#lastDeliveredSequence()} to resume
     */
    EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler);

    /** Subscribes to events appended from now on. */
    default EventSubscription subscribe(EventFilter filter, Consumer<EventRecord> handler) {
        return subscribe(filter, Math.max(filter.afterSequence(), lastSequence(filter.job())), handler);
    }

    /**
     * Deletes every event of {@code job} whose timestamp is before {@code olderThan}. The sequences of the remaining
     * events do not change, and new events continue after the high-water mark. Timestamps need not follow
     * sequences, so a purge may leave holes inside the log.
     *
     * @return how many events were deleted
     * @throws FencingException if {@code fence} is stale (nothing is deleted)
     */
    long purge(JobRef job, Instant olderThan, Fence fence);

    /** {@link #purge(JobRef, Instant, Fence)} without fencing. */
    default long purge(JobRef job, Instant olderThan) {
        return purge(job, olderThan, Fence.NONE);
    }

    /**
     * Deletes the job's whole log. The job keeps its high-water mark: {@link #lastSequence} is unchanged and a new
     * append continues above it, so subscribers and persisted positions keep receiving the job's new events. The job
     * is no longer listed by {@link #listJobs} until it has events again, and {@link #aggregate} is empty.
     *
     * @return how many events were deleted
     * @throws FencingException if {@code fence} is stale (nothing is deleted)
     */
    long deleteJob(JobRef job, Fence fence);

    /** {@link #deleteJob(JobRef, Fence)} without fencing. */
    default long deleteJob(JobRef job) {
        return deleteJob(job, Fence.NONE);
    }
}
