package io.prodigy.storage.postgres;

import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.error.StorageUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit for appends to one job in this process. The job's row in {@code event_jobs} admits one committing
 * append at a time, so sixteen threads appending one event each would commit (and wait for the WAL flush) sixteen
 * times in a row. Instead each append queues its batch in the job's lane; if nobody writes for the lane, it becomes the
 * lane's writer and writes every batch queued so far in one statement, again until its own batch is written. The
 * others wait on the lane: when a statement finishes, all of them wake at once, those it wrote return, and one of the
 * rest becomes the next writer. (A lock taken by every appender would make each finished one take and hand on the
 * lock in turn, one thread wake-up after another, before the next statement could start.) A single appender sees no
 * difference: its batch is the only one in the lane.
 *
 * <p>What callers are promised does not change: each batch keeps its own consecutive sequences (batches are written
 * one after the other within the statement), duplicate ids are judged in queue order, and a batch is acknowledged
 * only when the statement committed. If a group fails for a reason that concerns one batch's content, each batch is
 * written alone, so one caller's bad batch fails only that caller.
 */
final class GroupAppends {

    /** Most events written in one statement; a group stops growing here (one batch may be this large alone). */
    static final int MAX_GROUP_EVENTS = 10_000;
    /**
     * Most characters of event data written in one statement; a group stops growing here (one batch may be larger
     * alone). The data goes in as one {@code jsonb} array, which PostgreSQL caps at 256 MB: other callers' batches
     * must not push a group past it.
     */
    static final long MAX_GROUP_DATA_CHARS = 64L * 1024 * 1024;

    /** Writes batches of one job in one statement and returns one result per batch, in order. */
    @FunctionalInterface
    interface Writer {
        List<AppendResult> write(JobRef job, List<PgEventStorage.Batch> batches);
    }

    /**
     * One caller's batch and, once written, its outcome: the writer sets {@code result} or {@code error}, then
     * {@code done} (volatile), so whoever sees {@code done} sees the outcome.
     */
    private static final class Pending {
        final PgEventStorage.Batch batch;
        AppendResult result;
        StorageException error;
        volatile boolean done;

        Pending(PgEventStorage.Batch batch) {
            this.batch = batch;
        }

        AppendResult outcome() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    /** One job's queue; its monitor guards {@code queue}, {@code writing} and {@code users}. */
    private static final class Lane {
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        boolean writing;
        /** Appends between entering and leaving: the lane is dropped from the map only when none is left. */
        int users;
    }

    private final Writer writer;
    private final ConcurrentHashMap<JobRef, Lane> lanes = new ConcurrentHashMap<>();

    GroupAppends(Writer writer) {
        this.writer = writer;
    }

    AppendResult append(JobRef job, PgEventStorage.Batch batch) {
        Lane lane = lanes.compute(job, (j, l) -> {
            Lane in = l == null ? new Lane() : l;
            synchronized (in) {
                in.users++;
            }
            return in;
        });
        Pending me = new Pending(batch);
        try {
            synchronized (lane) {
                lane.queue.add(me);
                while (!me.done && lane.writing) {
                    lane.wait();
                }
                if (me.done) {
                    return me.outcome();
                }
                lane.writing = true;
            }
            try {
                while (true) {
                    List<Pending> group;
                    synchronized (lane) {
                        group = drain(lane.queue);
                    }
                    writeGroup(job, group);
                    synchronized (lane) {
                        lane.notifyAll();
                        if (me.done) {
                            break;
                        }
                    }
                }
            } finally {
                synchronized (lane) {
                    lane.writing = false;
                    lane.notifyAll(); // one of the appends queued meanwhile writes next
                }
            }
            return me.outcome();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (lane) {
                if (!lane.queue.remove(me) && !me.done) {
                    // Being written right now: its outcome is not known to this caller.
                    throw StorageUnavailableException.outcomeUnknown("Interrupted while appending to job " + job
                            + "; the append may have been stored: append the same ids again to find out.", e);
                }
                if (me.done) {
                    return me.outcome();
                }
            }
            throw new StorageUnavailableException("Interrupted before appending to job " + job
                    + "; nothing was appended.", e);
        } finally {
            lanes.computeIfPresent(job, (j, l) -> {
                synchronized (l) {
                    return --l.users == 0 ? null : l;
                }
            });
        }
    }

    /**
     * The queued appends, oldest first, up to {@link #MAX_GROUP_EVENTS} events and {@link #MAX_GROUP_DATA_CHARS}
     * (at least one append).
     */
    private static List<Pending> drain(ArrayDeque<Pending> queue) {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        long chars = 0;
        for (Pending p = queue.peek(); p != null; p = queue.peek()) {
            long dataChars = p.batch.dataChars();
            if (!group.isEmpty() && (events + p.batch.size() > MAX_GROUP_EVENTS
                    || chars + dataChars > MAX_GROUP_DATA_CHARS)) {
                break;
            }
            group.add(queue.poll());
            events += p.batch.size();
            chars += dataChars;
        }
        return group;
    }

    private void writeGroup(JobRef job, List<Pending> group) {
        try {
            List<AppendResult> results = writer.write(job, group.stream().map(p -> p.batch).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result = results.get(i);
                group.get(i).done = true;
            }
        } catch (StorageException e) {
            if (group.size() > 1 && !e.isRetryable()) {
                // Something in one batch's content: write each alone so that only its caller fails.
                group.forEach(p -> writeGroup(job, List.of(p)));
                return;
            }
            group.forEach(p -> {
                p.error = e;
                p.done = true;
            });
        }
    }
}
