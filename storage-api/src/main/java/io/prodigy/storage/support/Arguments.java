package io.prodigy.storage.support;

import io.prodigy.storage.Limits;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The argument checks of the SPI, written once so that every backend refuses the same bad call with the same
 * {@link InvalidInputException} and the same message, before anything is read or stored. Ids are not checked here:
 * the records and {@link JobRef} check them in their constructors ({@link io.prodigy.storage.id.Ids}).
 *
 * <p>A backend calls the check of an operation first thing in that operation. Messages say what is wrong and what to
 * pass instead.
 */
public final class Arguments {

    private Arguments() {}

    /** {@code value}, or an {@link InvalidInputException} with {@code message} if it is {@code null}. */
    public static <T> T present(T value, String message) {
        if (value == null) {
            throw new InvalidInputException(message);
        }
        return value;
    }

    /** The job of an event or DLQ call. */
    public static JobRef job(JobRef job) {
        return present(job, "Job is missing: pass a JobRef (repository and job id).");
    }

    /** The scope of a checkpoint call. */
    public static CheckpointScope scope(CheckpointScope scope) {
        return present(scope, "Checkpoint scope is missing: use CheckpointScope.workflow(id) or"
                + " CheckpointScope.job(job).");
    }

    /** A record to save ({@code what}: "Session", "Checkpoint", "Workflow definition", …). */
    public static <T> T record(String what, T value) {
        if (value != null) {
            return value; // checked on every save: the message is built only when it is needed
        }
        throw new InvalidInputException(what + " is missing: pass the " + what.toLowerCase(Locale.ROOT)
                + " to save.");
    }

    /**
     * An append: a job, at least one event, no {@code null} among them, at most {@link Limits#maxBatchSize()}.
     *
     * @return an immutable copy of the batch, safe to keep
     */
    public static List<NewEvent> append(JobRef job, List<NewEvent> events, Limits limits) {
        job(job);
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException("Cannot append an empty batch to job " + job
                    + ": pass at least one event.");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new InvalidInputException("Event " + i + " of the batch for job " + job
                        + " is null; nothing was appended.");
            }
        }
        limits.checkBatch(events.size());
        return List.copyOf(events);
    }

    /** The failure of a DLQ {@code add}. */
    public static DlqFailure failure(JobRef job, DlqFailure failure) {
        job(job);
        return present(failure, "DLQ failure for job " + job + " is missing.");
    }

    /** The filter of an event query or subscription. */
    public static EventFilter filter(EventFilter filter) {
        return present(filter, "Event filter is missing: use EventFilter.forJob(job).");
    }

    /** A subscription: a filter, a handler, and a start position of 0 or a sequence already delivered. */
    public static void subscription(EventFilter filter, long afterSequence, Object handler) {
        filter(filter);
        present(handler, "Subscription handler for job " + filter.job() + " is missing.");
        if (afterSequence < 0) {
            throw new InvalidInputException("Cannot subscribe to job " + filter.job() + " after sequence "
                    + afterSequence + ": pass 0 for the whole log or a sequence already delivered.");
        }
    }

    /** A purge of the events older than {@code olderThan}. */
    public static Instant purgeCutoff(JobRef job, Instant olderThan) {
        job(job);
        return present(olderThan, "Purge of job " + job + " needs a cut-off time (olderThan).");
    }

    /** A claim of up to {@code maxItems} DLQ items by {@code worker} for {@code lease}. */
    public static void claim(JobRef job, String worker, int maxItems, Duration lease, Limits limits) {
        job(job);
        if (worker == null || worker.isBlank()) {
            throw new InvalidInputException("Worker name for claiming DLQ items of job " + job
                    + " is missing: pass who reprocesses them.");
        }
        if (maxItems < 1) {
            throw new InvalidInputException("Cannot claim " + maxItems + " DLQ items of job " + job
                    + ": maxItems must be at least 1.");
        }
        limits.checkClaim(maxItems);
        claimLease(job, lease);
    }

    /** The lease of a claim or of its extension. */
    public static Duration claimLease(JobRef job, Duration lease) {
        return positive(lease, "Invalid claim lease " + lease + " for DLQ items of job " + job
                + ": pass a positive duration.");
    }

    /** How many checkpoints of a scope to keep. */
    public static void keep(CheckpointScope scope, int keep) {
        scope(scope);
        if (keep < 0) {
            throw new InvalidInputException("Cannot prune checkpoints of " + scope + " to " + keep
                    + ": keep must be 0 or more.");
        }
    }

    /** The limit of a listing where 0 means "all". */
    public static void limitOrAll(String what, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("Invalid limit " + limit + " for " + what
                    + ": pass 0 for all, or a positive number.");
        }
    }

    /** {@code duration} if it is positive; otherwise an {@link InvalidInputException} with {@code message}. */
    public static Duration positive(Duration duration, String message) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new InvalidInputException(message);
        }
        return duration;
    }
}
