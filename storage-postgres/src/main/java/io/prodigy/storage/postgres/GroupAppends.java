package io.prodigy.storage.postgres;

import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.id.JobRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for appends to one job in this process. The job's row in {@code event_jobs} admits one committing
 * append at a time, so sixteen threads appending one event each would commit (and wait for the WAL flush) sixteen
 * times in a row. Instead each append queues its batch in the job's lane and takes the lane's lock; whoever holds it
 * writes every batch queued so far in one statement, and the others find their results ready when they get the lock.
 * A single appender sees no difference: its batch is the only one in the lane.
 *
 * <p>What callers are promised does not change: each batch keeps its own consecutive sequences (batches are written
 * one after the other within the statement), duplicate ids are judged in queue order, and a batch is acknowledged
 * only when the statement committed. If a group fails for a reason that concerns one batch's content, each batch is
 * written alone, so one caller's bad batch fails only that caller.
 */
final class GroupAppends {

    /** Most events written in one statement; a group stops growing here (one batch may be this large alone). */
    static final int MAX_GROUP_EVENTS = 10_000;

    /** Writes batches of one job in one statement and returns one result per batch, in order. */
    @FunctionalInterface
    interface Writer {
        List<AppendResult> write(JobRef job, List<PgEventStorage.Batch> batches);
    }

    private static final class Pending {
        final PgEventStorage.Batch batch;
        AppendResult result;
        StorageException error;
        boolean done;

        Pending(PgEventStorage.Batch batch) {
            this.batch = batch;
        }
    }

    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    }

    private final Writer writer;
    private final ConcurrentHashMap<JobRef, Lane> lanes = new ConcurrentHashMap<>();

    GroupAppends(Writer writer) {
        this.writer = writer;
    }

    AppendResult append(JobRef job, PgEventStorage.Batch batch) {
        Lane lane = lanes.computeIfAbsent(job, j -> new Lane());
        Pending me = new Pending(batch);
        lane.queue.add(me);
        lane.lock.lock();
        try {
            while (!me.done) {
                writeGroup(job, drain(lane.queue));
            }
        } finally {
            lane.lock.unlock();
            // An idle lane goes; a thread still holding it works on alone, which is correct, only not grouped.
            lanes.computeIfPresent(job, (j, l) -> l.queue.isEmpty() && !l.lock.isLocked() ? null : l);
        }
        if (me.error != null) {
            throw me.error;
        }
        return me.result;
    }

    /** The queued appends, oldest first, up to {@link #MAX_GROUP_EVENTS} events (at least one append). */
    private static List<Pending> drain(Queue<Pending> queue) {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        for (Pending p = queue.peek(); p != null; p = queue.peek()) {
            if (!group.isEmpty() && events + p.batch.size() > MAX_GROUP_EVENTS) {
                break;
            }
            group.add(queue.poll());
            events += p.batch.size();
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
