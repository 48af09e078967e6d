package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract that sequences are never reused: every job keeps a high-water mark, the highest sequence ever assigned,
 * that neither {@link EventStorage#purge} nor {@link EventStorage#deleteJob} lowers; {@link EventStorage#lastSequence}
 * returns it; new appends continue above it; and so a live subscriber and a resumer from a persisted position keep
 * receiving a job's events across a {@code deleteJob} (with reused sequences they would silently skip them).
 *
 * <p>Use it by extending it and implementing the hook, as for every contract. Override
 * {@link #reopen(UnifiedStorage, io.prodigy.storage.StorageContext)} to also check that a durable backend keeps the
 * mark across a restart.
 */
public abstract class HighWaterContract extends StorageContractSupport {

    private EventStorage events() {
        return storage().events();
    }

    private static NewEvent event(String type, long millis) {
        return new NewEvent(UUID.randomUUID().toString(), at(millis), type, Json.nodes().objectNode().put("n", millis),
                null, null);
    }

    private static List<NewEvent> events(String type, int count) {
        return IntStream.range(0, count).mapToObj(i -> event(type, i)).toList();
    }

    private List<Long> sequences(EventStorage store, JobRef job) {
        try (Stream<EventRecord> s = store.query(EventFilter.forJob(job))) {
            return s.map(EventRecord::sequence).toList();
        }
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    /** Sequences in delivery order with at-least-once repeats removed. */
    private static List<Long> distinct(List<EventRecord> delivered) {
        List<Long> out = new ArrayList<>();
        for (EventRecord e : delivered) {
            if (out.isEmpty() || e.sequence() > out.get(out.size() - 1)) {
                out.add(e.sequence());
            }
        }
        return out;
    }

    @Test
    void deleteJobKeepsTheHighWaterMarkAndAppendsContinueAboveIt() {
        JobRef job = newJob();
        JobRef other = JobRef.of(job.repository(), uniqueId("job"));
        events().append(job, events("t", 3));
        events().append(other, events("t", 1));

        assertThat(events().deleteJob(job)).isEqualTo(3);

        assertThat(events().lastSequence(job)).as("lastSequence is the high-water mark").isEqualTo(3);
        assertThat(sequences(events(), job)).isEmpty();
        assertThat(events().aggregate(job)).isEqualTo(EventStats.empty(job));
        assertThat(events().listJobs(job.repository())).as("a job without events is not listed")
                .containsExactly(other);
        assertThat(events().append(job, events("t", 2)).firstSequence()).as("sequences are never reused")
                .isEqualTo(4);
        assertThat(sequences(events(), job)).containsExactly(4L, 5L);
        assertThat(events().listJobs(job.repository())).containsExactlyInAnyOrder(job, other);
        assertThat(sequences(events(), other)).as("other jobs are untouched").containsExactly(1L);
        assertThat(events().deleteJob(newJob())).as("deleting a job without events").isZero();
    }

    @Test
    void deletingTwiceAndPurgingEverythingKeepTheMark() {
        JobRef job = newJob();
        events().append(job, events("t", 4));
        events().deleteJob(job);
        assertThat(events().deleteJob(job)).as("nothing left to delete").isZero();
        assertThat(events().lastSequence(job)).isEqualTo(4);

        events().append(job, events("t", 2));
        assertThat(events().purge(job, at(1_000_000))).isEqualTo(2);
        assertThat(events().lastSequence(job)).as("after purging every event").isEqualTo(6);
        assertThat(events().aggregate(job).lastSequence()).as("the highest sequence still present").isZero();
        assertThat(events().listJobs(job.repository())).doesNotContain(job);
        assertThat(events().append(job, events("t", 1)).firstSequence()).isEqualTo(7);
    }

    @Test
    void theMarkSurvivesARestartAfterDeleteJob() {
        assumeCapability(Capability.DURABLE);
        JobRef job = newJob();
        events().append(job, events("t", 3));
        events().deleteJob(job);
        UnifiedStorage first = storage();
        first.close();

        UnifiedStorage reopened = reopenStorage(first);
        assertThat(reopened.events().lastSequence(job)).isEqualTo(3);
        assertThat(reopened.events().append(job, events("t", 1)).firstSequence()).isEqualTo(4);
    }

    @Test
    void aLiveSubscriberKeepsReceivingEventsAcrossADeleteJob() {
        JobRef job = newJob();
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        closeAfterTest(events().subscribe(EventFilter.forJob(job), 0, got::add));
        events().append(job, events("before", 5));
        Await.until("the first 5 events were delivered", () -> distinct(got).size() >= 5);

        events().deleteJob(job);
        events().append(job, events("after", 3));

        Await.until("the 3 events appended after deleteJob were delivered", () -> distinct(got).size() >= 8);
        assertThat(distinct(got)).isEqualTo(range(1, 8));
        assertThat(got.stream().filter(e -> e.sequence() > 5)).allSatisfy(
                e -> assertThat(e.eventType()).isEqualTo("after"));
    }

    @Test
    void aResumerFromAPersistedPositionReceivesEventsAppendedAfterADeleteJob() {
        JobRef job = newJob();
        events().append(job, events("before", 5));
        long persisted = events().lastSequence(job);
        events().deleteJob(job);
        events().append(job, events("after", 3));

        List<EventRecord> got = new CopyOnWriteArrayList<>();
        closeAfterTest(events().subscribe(EventFilter.forJob(job), persisted, got::add));

        Await.until("the 3 events appended after deleteJob were delivered", () -> distinct(got).size() >= 3);
        assertThat(distinct(got)).isEqualTo(range(6, 8));
    }
}
