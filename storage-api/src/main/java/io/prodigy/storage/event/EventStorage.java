package io.prodigy.storage.event;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.id.JobRef;
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
 * <p><b>Atomicity.</b> An append is all or nothing: a reader sees every event of a batch or none of them, and the
 * batch's events take consecutive sequence numbers. A failed append (including one that throws after a timeout)
 * stored nothing.
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
     * Appends a batch to one job's log.
     *
     * @throws InvalidInputException if the batch is empty or an event is invalid (nothing is stored)
     * @throws StorageFullException  if the batch does not fit (nothing is stored)
     */
    AppendResult append(JobRef job, List<NewEvent> events);

    /** Matching events in sequence order. Close the stream. */
    Stream<EventRecord> query(EventFilter filter);

    /** Totals for one job; {@link EventStats#empty} if it has no events. */
    EventStats aggregate(JobRef job);

    /** The highest sequence in the job's log, or 0 if it is empty. */
    long lastSequence(JobRef job);

    /** Jobs that have at least one event, in {@code repository} or in every repository if it is {@code null}. */
    List<JobRef> listJobs(String repository);

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
     * events do not change, and new events continue after the highest sequence ever assigned.
     *
     * @return how many events were deleted
     */
    long purge(JobRef job, Instant olderThan);

    /**
     * Deletes the job's whole log. Afterwards the job does not exist: {@link #lastSequence} is 0 and a new append
     * starts again at sequence 1.
     *
     * @return how many events were deleted
     */
    long deleteJob(JobRef job);
}
