package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.write.EventLogSync;
import io.prodigy.storage.migrate.write.SequencedEvent;
import io.prodigy.storage.migrate.write.SyncResult;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Copies one job's event log at a time, streaming the source, through {@link EventLogSync}. */
final class EventCopier {

    /** How often progress is reported while the target's existing prefix is being compared. */
    private static final int PRESENT_REPORT_EVERY = 1_000;

    private final EventStorage source;
    private final EventLogSync sync;

    EventCopier(EventStorage source, EventStorage target, CopyOptions options) {
        this.source = source;
        this.sync = new EventLogSync(target, options.batchSize(), options.dryRun());
    }

    void copy(JobRef job, TypeProgress progress) {
        long sourceLast = source.lastSequence(job);
        String current = job.toString();
        long[] handled = new long[1];
        long[] skipped = new long[1];
        EventLogSync.Listener listener = new EventLogSync.Listener() {
            @Override
            public void present(SequencedEvent e) {
                progress.present(1, TypeProgress.sizeOf(e.origin()));
                if (++handled[0] % PRESENT_REPORT_EVERY == 0) {
                    progress.report(current);
                }
            }

            @Override
            public void skipped(SequencedEvent e) {
                skipped[0]++;
            }

            @Override
            public void appended(List<SequencedEvent> batch) {
                long bytes = 0;
                for (SequencedEvent e : batch) {
                    bytes += TypeProgress.sizeOf(e.origin());
                }
                progress.copied(batch.size(), bytes);
                progress.report(current);
            }
        };
        try (Stream<EventRecord> events = upTo(source.query(EventFilter.forJob(job)), sourceLast)) {
            Iterator<SequencedEvent> it = events.map(SequencedEvent::of).iterator();
            SyncResult result = sync.sync(job, it, sourceLast, listener);
            if (result.isConflict()) {
                progress.conflict(result.conflict(), skipped[0]);
            }
        }
        progress.report(current);
    }

    /**
     * The events up to {@code last}: a source that writers still append to (a live migration) returns later events
     * too, which belong to the next pass.
     */
    static Stream<EventRecord> upTo(Stream<EventRecord> events, long last) {
        return events.takeWhile(e -> e.sequence() <= last);
    }
}
