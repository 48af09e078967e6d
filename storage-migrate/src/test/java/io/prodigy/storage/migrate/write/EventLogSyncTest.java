package io.prodigy.storage.migrate.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.testing.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLogSyncTest {

    private static final JobRef JOB = JobRef.of("r", "j");
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private final UnifiedStorage target = Stores.memory();

    @AfterEach
    void close() {
        target.close();
    }

    private static List<SequencedEvent> source(long... sequences) {
        List<SequencedEvent> out = new ArrayList<>();
        for (long s : sequences) {
            out.add(new SequencedEvent(s, new NewEvent("e" + s, T.plusSeconds(s), "job_started",
                    Json.nodes().objectNode().put("s", s), null, null), null));
        }
        return out;
    }

    private SyncResult sync(List<SequencedEvent> source, long last, boolean dryRun, List<SequencedEvent> skipped) {
        return new EventLogSync(target.events(), 2, dryRun).sync(JOB, source.iterator(), last,
                new EventLogSync.Listener() {
                    @Override
                    public void skipped(SequencedEvent e) {
                        skipped.add(e);
                    }
                });
    }

    @Test
    void copiesIntoAnEmptyJobWithTheSourceSequences() {
        SyncResult r = sync(source(1, 2, 3, 4, 5), 5, false, new ArrayList<>());

        assertThat(r).isEqualTo(new SyncResult(JOB, 0, 5, 0, ""));
        assertThat(stored()).extracting(EventRecord::id).containsExactly("e1", "e2", "e3", "e4", "e5");
    }

    @Test
    void continuesAfterTheTargetsHighWaterWithoutReadingItsLogAndReproducesHolesInTheTail() {
        sync(source(1, 2, 3), 3, false, new ArrayList<>());
        List<SequencedEvent> present = new ArrayList<>();
        // A live pass passes the whole source log here to show that events at or below the mark are not appended.
        SyncResult r = new EventLogSync(target.events(), 2, false).continueAfterTarget(JOB,
                source(2, 3, 4, 6).iterator(), 8, new EventLogSync.Listener() {
                    @Override
                    public void present(SequencedEvent e) {
                        present.add(e);
                    }
                });

        assertThat(r).isEqualTo(new SyncResult(JOB, 2, 2, 3, ""));
        assertThat(present).extracting(SequencedEvent::sequence).containsExactly(2L, 3L);
        assertThat(stored()).extracting(EventRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 6L);
        assertThat(stored()).extracting(EventRecord::id).containsExactly("e1", "e2", "e3", "e4", "e6");
        assertThat(target.events().lastSequence(JOB)).isEqualTo(8);
    }

    @Test
    void reproducesHolesAndRemovesThePlaceholders() {
        SyncResult r = sync(source(3, 4, 7), 9, false, new ArrayList<>());

        assertThat(r.appended()).isEqualTo(3);
        assertThat(r.gapsFilled()).isEqualTo(6);
        assertThat(stored()).extracting(EventRecord::sequence).containsExactly(3L, 4L, 7L);
        assertThat(target.events().lastSequence(JOB)).isEqualTo(9);
    }

    @Test
    void continuesAfterAVerifiedPrefix() {
        sync(source(1, 2), 2, false, new ArrayList<>());

        SyncResult r = sync(source(1, 2, 3), 3, false, new ArrayList<>());

        assertThat(r).isEqualTo(new SyncResult(JOB, 2, 1, 0, ""));
        assertThat(stored()).hasSize(3);
    }

    @Test
    void aTargetAheadOfTheSourceIsAConflictAndEverySourceEventIsReportedSkipped() {
        sync(source(1, 2, 3), 3, false, new ArrayList<>());
        List<SequencedEvent> skipped = new ArrayList<>();

        SyncResult r = sync(source(1, 2), 2, false, skipped);

        assertThat(r.conflict()).isEqualTo("event log r/j: the target log goes up to sequence 3 but the source only"
                + " to 2; 2 event(s) of the job were not copied");
        assertThat(skipped).hasSize(2);
    }

    @Test
    void aTargetWithAnEventTheSourceLacksIsAConflict() {
        sync(source(1, 2), 2, false, new ArrayList<>());
        List<SequencedEvent> skipped = new ArrayList<>();

        SyncResult r = sync(source(1, 3), EventLogSync.UNKNOWN_LAST_SEQUENCE, false, skipped);

        assertThat(r.conflict()).startsWith("event log r/j: the target holds event e2 at sequence 2, which the"
                + " source does not have");
        assertThat(r.present()).isEqualTo(1);
        assertThat(skipped).extracting(SequencedEvent::sequence).containsExactly(3L);
        assertThat(stored()).hasSize(2);
    }

    @Test
    void dryRunCountsButWritesNothing() {
        SyncResult r = sync(source(2, 3), 4, true, new ArrayList<>());

        assertThat(r).isEqualTo(new SyncResult(JOB, 0, 2, 2, ""));
        assertThat(target.events().lastSequence(JOB)).isZero();
    }

    private List<EventRecord> stored() {
        try (Stream<EventRecord> s = target.events().query(EventFilter.forJob(JOB))) {
            return s.toList();
        }
    }
}
