package io.prodigy.storage.migrate.write;

import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.verify.RecordDigests;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * Makes a target job's event log equal to a source log, event for event and sequence for sequence, streaming, and
 * safely re-runnable.
 *
 * <p><b>Resuming.</b> Whatever the target already holds must be exactly the source's first events (same sequence,
 * id, timestamp, type, payload, correlation and agent). Then only the rest is appended, in batches; the store's
 * all-or-nothing append means an interrupted run leaves a clean prefix, so the next run continues where it stopped
 * and never duplicates. If the target holds anything else the job is reported as a conflict and nothing is written.
 *
 * <p><b>Sequences.</b> A store assigns sequences itself (last + 1), so copying into an empty job reproduces the
 * source's sequences exactly as long as the source has no holes. A source whose old events were purged has holes
 * (its log starts at, say, 101). They are reproduced with placeholder events of type {@value #GAP_EVENT_TYPE},
 * stamped {@code 0001-01-01T00:00:00Z}, which are purged again at the end: purging keeps the sequences of the
 * remaining events and the job's high-water mark (EventStorage contract), so the target ends with the same events
 * at the same sequences and the same {@code lastSequence} as the source. Subscribers that persisted a sequence can
 * resume against the target. A run interrupted before that purge leaves placeholders behind; the next run
 * recognises and removes them.
 *
 * <p><b>Purged in the target.</b> Retention ({@code cleanup --older-than}) may have purged the oldest events of a
 * job after an earlier import. Purging keeps the sequences of the remaining events and the high-water mark, so source
 * events at sequences below the target's first remaining event (or, when the target holds none any more, up to its
 * {@code lastSequence}) are counted as already imported and are not copied again: importing the same tree a second
 * time after a cleanup changes nothing instead of failing. The remaining target events must still equal the source's.
 *
 * <p><b>Memory.</b> One batch of events at a time; the target's existing prefix is compared while streaming.
 */
public final class EventLogSync {

    /** Pass as {@code sourceLastSequence} when the source log ends with its last event (no purged tail). */
    public static final long UNKNOWN_LAST_SEQUENCE = -1;

    /** Type of the placeholder events that reproduce purged sequence numbers; they never survive a finished run. */
    public static final String GAP_EVENT_TYPE = "migration_gap";
    static final String GAP_ID_PREFIX = "prodigy-migration-gap-";
    static final Instant GAP_TIMESTAMP = Instant.parse("0001-01-01T00:00:00Z");
    /**
     * Purges the placeholders: the next instant a store can hold. Stored times are whole microseconds
     * ({@link InstantRange#PRECISION}); PostgreSQL rounds a finer cut-off to them, so one nanosecond later purged
     * nothing there and the placeholders stayed in the copy.
     */
    static final Instant GAP_CUTOFF = GAP_TIMESTAMP.plus(1, InstantRange.PRECISION);

    /** Told about every source event: found in place, appended, or (after a conflict) not copied. */
    public interface Listener {
        default void present(SequencedEvent event) {}

        /**
         * A source event the target held once and has purged since (retention): counted as already imported, not
         * copied again, and not there to read back. By default the same as {@link #present}.
         */
        default void purgedInTarget(SequencedEvent event) {
            present(event);
        }

        default void appended(List<SequencedEvent> batch) {}

        /** A source event that was not copied because the job's log conflicts with the target. */
        default void skipped(SequencedEvent event) {}
    }

    private final EventStorage target;
    private final int batchSize;
    private final boolean dryRun;

    public EventLogSync(EventStorage target, int batchSize, boolean dryRun) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        this.target = target;
        this.batchSize = batchSize;
        this.dryRun = dryRun;
    }

    /**
     * Aligns the target's log of {@code job} with {@code source}. On a conflict nothing is written, and every source
     * event that was not found in place is passed to {@link Listener#skipped}.
     *
     * @param source             the source events in strictly increasing sequence order
     * @param sourceLastSequence the source job's high-water mark ({@code >=} the last source event's sequence), or
     *                           {@link #UNKNOWN_LAST_SEQUENCE} if it is the last source event's sequence
     * @throws MigrationException if another writer appended to the target job while this ran
     */
    public SyncResult sync(JobRef job, Iterator<SequencedEvent> source, long sourceLastSequence, Listener listener) {
        Run run = new Run(job, new Peeking(source), sourceLastSequence, listener, false);
        return run.execute();
    }

    /**
     * Appends the source events above the target's high-water mark, without reading the target's log: for a target
     * whose log up to that mark was aligned with the source before (by {@link #sync}, or by an earlier call of this),
     * as a follow-up pass of a live migration does, so a pass costs only the new events. Source events at or below
     * the mark are counted as present. Purged sequences are reproduced as by {@link #sync}.
     *
     * @param source             the source events in strictly increasing sequence order, best starting above the
     *                           target's high-water mark ({@code EventFilter.withAfterSequence})
     * @param sourceLastSequence the source job's high-water mark; events above it are not passed
     * @throws MigrationException if another writer appended to the target job while this ran
     */
    public SyncResult continueAfterTarget(JobRef job, Iterator<SequencedEvent> source, long sourceLastSequence,
            Listener listener) {
        Run run = new Run(job, new Peeking(source), sourceLastSequence, listener, true);
        return run.execute();
    }

    private final class Run {
        private final JobRef job;
        private final Peeking source;
        private final long sourceLast;
        private final Listener listener;
        private long present;
        private long appended;
        private long gapsAppended;
        private boolean gapsInTarget;
        private long previousSequence;
        private long next;
        private final List<SequencedEvent> batch = new ArrayList<>();
        private final boolean prefixAligned;

        Run(JobRef job, Peeking source, long sourceLast, Listener listener, boolean prefixAligned) {
            this.job = job;
            this.source = source;
            this.sourceLast = sourceLast;
            this.listener = listener;
            this.prefixAligned = prefixAligned;
        }

        SyncResult execute() {
            long targetLast = target.lastSequence(job);
            if (sourceLast != UNKNOWN_LAST_SEQUENCE && targetLast > sourceLast) {
                return conflict("the target log goes up to sequence " + targetLast + " but the source only to "
                        + sourceLast);
            }
            String mismatch = targetLast == 0 || prefixAligned ? null : compareExisting(targetLast);
            if (mismatch != null) {
                return conflict(mismatch);
            }
            while (prefixAligned && source.hasNext() && source.peek().sequence() <= targetLast) {
                listener.present(take());
                present++;
            }
            next = targetLast + 1;
            while (source.hasNext()) {
                SequencedEvent e = take();
                while (next < e.sequence()) {
                    add(gap(next));
                }
                add(e);
            }
            while (next <= sourceLast) {
                add(gap(next));
            }
            flush();
            if (!dryRun) {
                removeGaps();
                long expected = sourceLast != UNKNOWN_LAST_SEQUENCE ? sourceLast : Math.max(next - 1, targetLast);
                long last = target.lastSequence(job);
                if (last != expected) {
                    throw new MigrationException("Event log " + job + " ends at sequence " + last
                            + " in the target after the copy, expected " + expected
                            + ". Another process may be writing to it; stop it and run the migration again.");
                }
            }
            return new SyncResult(job, present, appended, gapsAppended, "");
        }

        /** Checks the target's events against the source's first ones; returns the first difference, or null. */
        private String compareExisting(long targetLast) {
            boolean first = true;
            try (Stream<EventRecord> existing = target.query(EventFilter.forJob(job))) {
                Iterator<EventRecord> it = existing.iterator();
                while (it.hasNext()) {
                    EventRecord t = it.next();
                    if (t.sequence() > targetLast) {
                        break;
                    }
                    if (first) {
                        // Below the target's first remaining event: imported before and purged since.
                        skipPurgedInTarget(t.sequence() - 1);
                        first = false;
                    }
                    if (source.hasNext() && source.peek().sequence() < t.sequence()) {
                        return "the target lacks source event " + describe(source.peek());
                    }
                    boolean sourceHasIt = source.hasNext() && source.peek().sequence() == t.sequence();
                    if (isGap(t)) {
                        if (sourceHasIt) {
                            return "the target holds a placeholder where the source has event "
                                    + describe(source.peek());
                        }
                        gapsInTarget = true;
                        continue;
                    }
                    if (!sourceHasIt) {
                        return "the target holds event " + t.id() + " at sequence " + t.sequence()
                                + ", which the source does not have";
                    }
                    SequencedEvent s = source.peek();
                    if (!RecordDigests.same(s.sequence(), s.event(), t)) {
                        return "the events at sequence " + t.sequence() + " differ (source " + s.event().id()
                                + ", target " + t.id() + "): " + Differences.describe(
                                        RecordDigests.content(s.sequence(), s.event()), RecordDigests.content(t));
                    }
                    take();
                    present++;
                    listener.present(s);
                }
            }
            if (first) {
                // The target holds no event any more: everything up to its high-water mark was purged.
                skipPurgedInTarget(targetLast);
            }
            if (source.hasNext() && source.peek().sequence() <= targetLast) {
                return "the target lacks source event " + describe(source.peek());
            }
            return null;
        }

        /** Counts the source events up to {@code purgedUpTo} as present: the target had them and purged them. */
        private void skipPurgedInTarget(long purgedUpTo) {
            while (source.hasNext() && source.peek().sequence() <= purgedUpTo) {
                SequencedEvent s = take();
                present++;
                listener.purgedInTarget(s);
            }
        }

        private SequencedEvent take() {
            SequencedEvent e = source.next();
            if (e.sequence() <= previousSequence) {
                throw new IllegalArgumentException("source events of " + job + " are not in increasing sequence"
                        + " order: " + e.sequence() + " after " + previousSequence);
            }
            if (sourceLast != UNKNOWN_LAST_SEQUENCE && e.sequence() > sourceLast) {
                throw new IllegalArgumentException("source event at sequence " + e.sequence() + " of " + job
                        + " is beyond the source's last sequence " + sourceLast);
            }
            previousSequence = e.sequence();
            return e;
        }

        private void add(SequencedEvent e) {
            batch.add(e);
            next++;
            if (batch.size() >= batchSize) {
                flush();
            }
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            long expectedFirst = next - batch.size();
            List<SequencedEvent> real = new ArrayList<>(batch.size());
            List<NewEvent> events = new ArrayList<>(batch.size());
            for (SequencedEvent e : batch) {
                events.add(e.event());
                if (e.origin() != GAP_ORIGIN) {
                    real.add(e);
                }
            }
            if (!dryRun) {
                AppendResult r = target.append(job, events);
                if (r.appended() != events.size() || r.firstSequence() != expectedFirst) {
                    throw new MigrationException("Appending " + events.size() + " events to " + job
                            + " at sequence " + expectedFirst + " stored " + r.appended() + " starting at sequence "
                            + r.firstSequence() + (r.duplicates() > 0 ? " (" + r.duplicates()
                            + " dropped as duplicate event ids)" : "")
                            + ". Another process is writing to the target job, or the source has duplicate event"
                            + " ids; stop other writers and run the migration again.");
                }
            }
            appended += real.size();
            gapsAppended += events.size() - real.size();
            listener.appended(real);
            batch.clear();
        }

        private void removeGaps() {
            if (gapsAppended == 0 && !gapsInTarget) {
                return;
            }
            try (Stream<EventRecord> events = target.query(EventFilter.forJob(job).withBefore(
                    GAP_CUTOFF))) {
                EventRecord real = events.filter(e -> !isGap(e)).findFirst().orElse(null);
                if (real != null) {
                    throw new MigrationException("Cannot remove the placeholders that reproduce purged sequences of "
                            + job + ": event " + real.id() + " at sequence " + real.sequence() + " is dated "
                            + real.timestamp() + ", as old as the placeholders, and would be purged with them.");
                }
            }
            target.purge(job, GAP_CUTOFF);
        }

        /** Reports every source event not yet handled as skipped; nothing has been written. */
        private SyncResult conflict(String why) {
            long notCopied = 0;
            while (source.hasNext()) {
                listener.skipped(source.next());
                notCopied++;
            }
            return new SyncResult(job, present, 0, 0, "event log " + job + ": " + why + "; " + notCopied
                    + " event(s) of the job were not copied");
        }
    }

    private static final Object GAP_ORIGIN = new Object();

    private static SequencedEvent gap(long sequence) {
        return new SequencedEvent(sequence, new NewEvent(GAP_ID_PREFIX + sequence, GAP_TIMESTAMP, GAP_EVENT_TYPE,
                Json.nodes().objectNode().put("reason", "reproduces a sequence number purged in the source"),
                null, null), GAP_ORIGIN);
    }

    private static boolean isGap(EventRecord e) {
        return GAP_EVENT_TYPE.equals(e.eventType()) && e.id().startsWith(GAP_ID_PREFIX)
                && e.timestamp().equals(GAP_TIMESTAMP);
    }

    private static String describe(SequencedEvent e) {
        return e.event().id() + " at sequence " + e.sequence();
    }

    /** An iterator with one element of look-ahead. */
    private static final class Peeking {
        private final Iterator<SequencedEvent> it;
        private SequencedEvent head;

        Peeking(Iterator<SequencedEvent> it) {
            this.it = it;
        }

        boolean hasNext() {
            return head != null || it.hasNext();
        }

        SequencedEvent peek() {
            if (head == null) {
                head = it.next();
            }
            return head;
        }

        SequencedEvent next() {
            if (head != null) {
                SequencedEvent h = head;
                head = null;
                return h;
            }
            if (!it.hasNext()) {
                throw new NoSuchElementException();
            }
            return it.next();
        }
    }
}
