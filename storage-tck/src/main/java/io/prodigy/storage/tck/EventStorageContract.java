package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.Capability;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link EventStorage} for appending, querying and housekeeping (subscriptions are in
 * {@link EventSubscriptionContract}, streams over large logs in {@link EventStreamContract}): per-job gap-free
 * sequences from 1, all-or-nothing batches, every filter of {@link EventFilter} and its limit, ordering, aggregate
 * stats, {@code listJobs}, {@code purge} ({@code deleteJob} and the high-water mark are in {@link HighWaterContract}),
 * idempotent appends where declared, copies independent of
 * the caller's objects, and invalid repository names rejected.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryEventStorageContractTest extends EventStorageContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 * Every test writes to fresh jobs in fresh repositories, so the store may be shared with other tests.
 */
public abstract class EventStorageContract extends StorageContractSupport {

    private EventStorage events() {
        return storage().events();
    }

    /** An event of {@code type} at {@link #at}({@code millis}) with payload {@code {"n": millis}}. */
    protected static NewEvent event(String type, long millis) {
        return new NewEvent(UUID.randomUUID().toString(), at(millis), type,
                Json.nodes().objectNode().put("n", millis), null, null);
    }

    private List<EventRecord> query(EventFilter filter) {
        try (Stream<EventRecord> s = events().query(filter)) {
            return s.toList();
        }
    }

    private List<Long> sequences(EventFilter filter) {
        return query(filter).stream().map(EventRecord::sequence).toList();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    @Test
    void appendAssignsGapFreeSequencesStartingAtOne() {
        JobRef job = newJob();
        AppendResult result = events().append(job, List.of(event("a", 0), event("b", 1), event("c", 2)));

        assertThat(result.job()).isEqualTo(job);
        assertThat(result.firstSequence()).isEqualTo(1);
        assertThat(result.lastSequence()).isEqualTo(3);
        assertThat(result.appended()).isEqualTo(3);
        assertThat(result.duplicates()).isZero();
        assertThat(sequences(EventFilter.forJob(job))).containsExactly(1L, 2L, 3L);
        assertThat(events().lastSequence(job)).isEqualTo(3);
    }

    @Test
    void appendsContinueAfterTheLastSequenceAndKeepBatchOrder() {
        JobRef job = newJob();
        events().append(job, List.of(event("a", 0), event("b", 1)));
        List<NewEvent> second = List.of(event("c", 2), event("d", 3), event("e", 4));
        AppendResult result = events().append(job, second);

        assertThat(result.firstSequence()).isEqualTo(3);
        assertThat(result.lastSequence()).isEqualTo(5);
        List<EventRecord> stored = query(EventFilter.forJob(job));
        assertThat(stored).extracting(EventRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stored.subList(2, 5)).extracting(EventRecord::id)
                .containsExactlyElementsOf(second.stream().map(NewEvent::id).toList());
    }

    @Test
    void sequencesAreIndependentPerJobAndRepository() {
        JobRef job = newJob();
        JobRef otherJob = JobRef.of(job.repository(), uniqueId("job"));
        JobRef sameIdOtherRepo = JobRef.of(newRepository(), job.jobId());
        events().append(job, List.of(event("a", 0), event("a", 1)));
        events().append(otherJob, List.of(event("b", 0)));
        events().append(sameIdOtherRepo, List.of(event("c", 0), event("c", 1), event("c", 2)));

        assertThat(sequences(EventFilter.forJob(job))).containsExactly(1L, 2L);
        assertThat(sequences(EventFilter.forJob(otherJob))).containsExactly(1L);
        assertThat(sequences(EventFilter.forJob(sameIdOtherRepo))).containsExactly(1L, 2L, 3L);
        assertThat(query(EventFilter.forJob(job))).allSatisfy(e -> assertThat(e.job()).isEqualTo(job));
    }

    @Test
    void everyFieldRoundTrips() {
        JobRef job = newJob();
        ObjectNode data = Json.nodes().objectNode().put("text", "héllo ✓").put("n", 42).put("ok", true);
        data.putArray("list").add(1.5).addNull().addObject().put("deep", "x");
        NewEvent sent = new NewEvent(uniqueId("evt"), at(12_345), "agent_completed", data, uniqueId("corr"),
                uniqueId("agent"));
        events().append(job, List.of(sent));

        EventRecord stored = query(EventFilter.forJob(job)).get(0);
        assertThat(stored).isEqualTo(new EventRecord(job, 1, sent.id(), at(12_345), "agent_completed", data,
                sent.correlationId(), sent.agentId()));
    }

    @Test
    void eventsWithoutATimestampAreStampedWithTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        clock.set(at(777_000));
        events().append(job, List.of(NewEvent.of("x", null)));

        assertThat(query(EventFilter.forJob(job))).singleElement()
                .satisfies(e -> assertThat(e.timestamp()).isEqualTo(at(777_000)));
    }

    @Test
    void eventsWithoutATimestampGetOne() {
        JobRef job = newJob();
        events().append(job, List.of(NewEvent.of("x", null)));

        assertThat(query(EventFilter.forJob(job))).singleElement()
                .satisfies(e -> assertThat(e.timestamp()).isNotNull());
    }

    @Test
    void anEmptyBatchIsRejected() {
        JobRef job = newJob();
        assertThatThrownBy(() -> events().append(job, List.of())).isInstanceOf(InvalidInputException.class);
        assertThat(events().lastSequence(job)).isZero();
        assertThat(events().listJobs(job.repository())).isEmpty();
    }

    @Test
    void aBatchWithAnInvalidEventStoresNothing() {
        JobRef job = newJob();
        events().append(job, List.of(event("before", 0)));
        List<NewEvent> batch = Arrays.asList(event("ok", 1), null, event("ok", 2));

        Throwable thrown = catchThrowable(() -> events().append(job, batch));
        assertThat(thrown).as("a null event in a batch must be rejected")
                .isInstanceOfAny(InvalidInputException.class, NullPointerException.class);
        assertThat(events().lastSequence(job)).as("nothing of the failed batch was stored").isEqualTo(1);
        assertThat(query(EventFilter.forJob(job))).extracting(EventRecord::eventType).containsExactly("before");

        AppendResult next = events().append(job, List.of(event("after", 3)));
        assertThat(next.firstSequence()).as("the failed batch used no sequence numbers").isEqualTo(2);
    }

    @Test
    void storedEventsAreIndependentOfTheCallersObjects() {
        JobRef job = newJob();
        ObjectNode data = Json.nodes().objectNode().put("n", 1);
        events().append(job, List.of(new NewEvent(uniqueId("e"), at(0), "t", data, null, null)));
        data.put("n", 666);

        EventRecord read = query(EventFilter.forJob(job)).get(0);
        assertThat(read.data().get("n").asInt()).isEqualTo(1);
        ((ObjectNode) read.data()).put("n", 777);
        assertThat(query(EventFilter.forJob(job)).get(0).data().get("n").asInt()).isEqualTo(1);
    }

    @Test
    void queryOfAJobWithoutEventsIsEmpty() {
        JobRef job = newJob();
        assertThat(query(EventFilter.forJob(job))).isEmpty();
        assertThat(events().lastSequence(job)).isZero();
    }

    @Test
    void queryReturnsEventsInSequenceOrderEvenWhenTimestampsAreNot() {
        JobRef job = newJob();
        events().append(job, List.of(event("late", 5_000), event("early", 1_000), event("mid", 3_000)));

        assertThat(query(EventFilter.forJob(job))).extracting(EventRecord::eventType)
                .containsExactly("late", "early", "mid");
    }

    @Test
    void queryFiltersByEventTypes() {
        JobRef job = newJob();
        events().append(job, List.of(event("agent_started", 0), event("agent_completed", 1),
                event("agent_failed", 2), event("agent_started", 3)));
        EventFilter all = EventFilter.forJob(job);

        assertThat(sequences(all.withEventType("agent_started"))).containsExactly(1L, 4L);
        assertThat(sequences(all.withEventTypes(Set.of("agent_completed", "agent_failed")))).containsExactly(2L, 3L);
        assertThat(sequences(all.withEventType("no_such_type"))).isEmpty();
        assertThat(sequences(all.withEventTypes(Set.of()))).as("an empty set means every type").hasSize(4);
    }

    @Test
    void queryFiltersByTimeBoundsExclusively() {
        JobRef job = newJob();
        events().append(job, List.of(event("t", 1_000), event("t", 2_000), event("t", 3_000), event("t", 4_000)));
        EventFilter all = EventFilter.forJob(job);

        assertThat(sequences(all.withAfter(at(2_000)))).containsExactly(3L, 4L);
        assertThat(sequences(all.withBefore(at(2_000)))).containsExactly(1L);
        assertThat(sequences(all.withAfter(at(1_000)).withBefore(at(4_000)))).containsExactly(2L, 3L);
        assertThat(sequences(all.withAfter(at(4_000)))).isEmpty();
    }

    @Test
    void queryFiltersByCorrelationIdAndAgentId() {
        JobRef job = newJob();
        String corr = uniqueId("corr");
        String agent = uniqueId("agent");
        events().append(job, List.of(
                event("t", 0).withCorrelationId(corr),
                event("t", 1).withAgentId(agent),
                event("t", 2).withCorrelationId(corr).withAgentId(agent),
                event("t", 3)));
        EventFilter all = EventFilter.forJob(job);

        assertThat(sequences(all.withCorrelationId(corr))).containsExactly(1L, 3L);
        assertThat(sequences(all.withAgentId(agent))).containsExactly(2L, 3L);
        assertThat(sequences(all.withCorrelationId(corr).withAgentId(agent))).containsExactly(3L);
        assertThat(sequences(all.withAgentId(uniqueId("nobody")))).isEmpty();
    }

    @Test
    void queryStartsAfterTheGivenSequence() {
        JobRef job = newJob();
        events().append(job, IntStream.range(0, 10).mapToObj(i -> event("t", i)).toList());
        EventFilter all = EventFilter.forJob(job);

        assertThat(sequences(all.withAfterSequence(7))).containsExactly(8L, 9L, 10L);
        assertThat(sequences(all.withAfterSequence(10))).isEmpty();
        assertThat(sequences(all.withAfterSequence(0))).hasSize(10);
    }

    @Test
    void queryAppliesTheLimitAfterFiltering() {
        JobRef job = newJob();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(event(i % 2 == 0 ? "even" : "odd", i));
        }
        events().append(job, batch);
        EventFilter all = EventFilter.forJob(job);

        assertThat(sequences(all.withLimit(3))).containsExactly(1L, 2L, 3L);
        assertThat(sequences(all.withEventType("odd").withLimit(3))).containsExactly(2L, 4L, 6L);
        assertThat(sequences(all.withAfterSequence(15).withLimit(100))).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(sequences(all.withLimit(0))).as("limit 0 means no limit").hasSize(20);
    }

    @Test
    void aggregateCountsByOutcomeAndType() {
        JobRef job = newJob();
        events().append(job, List.of(
                event("agent_started", 5_000),
                event("agent_completed", 1_000),
                event("agent_failed", 9_000),
                event("agent_started", 2_000),
                event("progress", 3_000),
                event("worktree_merged", 4_000)));

        EventStats stats = events().aggregate(job);
        assertThat(stats.job()).isEqualTo(job);
        assertThat(stats.totalEvents()).isEqualTo(6);
        assertThat(stats.errorCount()).isEqualTo(1);
        assertThat(stats.successCount()).isEqualTo(2);
        assertThat(stats.pendingCount()).isEqualTo(2);
        assertThat(stats.firstEvent()).as("smallest timestamp, not the first appended").isEqualTo(at(1_000));
        assertThat(stats.lastEvent()).isEqualTo(at(9_000));
        assertThat(stats.lastSequence()).isEqualTo(6);
        assertThat(stats.countsByType()).isEqualTo(Map.of("agent_started", 2L, "agent_completed", 1L,
                "agent_failed", 1L, "progress", 1L, "worktree_merged", 1L));
    }

    @Test
    void aggregateOfAJobWithoutEventsIsEmpty() {
        JobRef job = newJob();
        assertThat(events().aggregate(job)).isEqualTo(EventStats.empty(job));
    }

    @Test
    void listJobsByRepositoryAndAcrossRepositories() {
        JobRef a1 = newJob();
        JobRef a2 = JobRef.of(a1.repository(), uniqueId("job"));
        JobRef b1 = newJob();
        for (JobRef job : List.of(a1, a2, b1)) {
            events().append(job, List.of(event("t", 0)));
        }

        assertThat(events().listJobs(a1.repository())).containsExactlyInAnyOrder(a1, a2);
        assertThat(events().listJobs(b1.repository())).containsExactly(b1);
        assertThat(events().listJobs(null)).contains(a1, a2, b1);
        assertThat(events().listJobs(newRepository())).isEmpty();
    }

    @Test
    void purgeDeletesOnlyOlderEventsAndKeepsTheOthersSequences() {
        JobRef job = newJob();
        events().append(job, List.of(event("t", 1_000), event("t", 2_000), event("t", 3_000), event("t", 4_000)));

        assertThat(events().purge(job, at(3_000))).isEqualTo(2);
        assertThat(sequences(EventFilter.forJob(job))).containsExactly(3L, 4L);
        assertThat(events().lastSequence(job)).isEqualTo(4);
        assertThat(events().aggregate(job).totalEvents()).as("stats count what is left").isEqualTo(2);
        assertThat(events().aggregate(job).firstEvent()).isEqualTo(at(3_000));
        assertThat(events().purge(job, at(3_000))).as("nothing left to purge").isZero();
        assertThat(events().append(job, List.of(event("t", 5_000))).firstSequence()).isEqualTo(5);
    }

    @Test
    void sequencesContinueAfterTheHighestEverAssignedWhenTheNewestArePurged() {
        JobRef job = newJob();
        events().append(job, List.of(event("t", 1_000), event("t", 2_000), event("t", 3_000)));

        assertThat(events().purge(job, at(10_000))).isEqualTo(3);
        assertThat(query(EventFilter.forJob(job))).isEmpty();
        assertThat(events().append(job, List.of(event("t", 20_000))).firstSequence()).isEqualTo(4);
        assertThat(sequences(EventFilter.forJob(job))).containsExactly(4L);
    }

    @Test
    void reappendingAnEventIdIsDroppedWhenAppendsAreIdempotent() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        JobRef job = newJob();
        NewEvent first = event("t", 0);
        NewEvent second = event("t", 1);
        events().append(job, List.of(first, second));

        AppendResult retry = events().append(job, List.of(first, second, event("t", 2)));

        assertThat(retry.duplicates()).isEqualTo(2);
        assertThat(retry.appended()).isEqualTo(1);
        assertThat(retry.lastSequence()).isEqualTo(3);
        assertThat(query(EventFilter.forJob(job))).extracting(EventRecord::id).doesNotHaveDuplicates().hasSize(3);

        AppendResult allDuplicates = events().append(job, List.of(first));
        assertThat(allDuplicates.appended()).isZero();
        assertThat(allDuplicates.lastSequence()).isEqualTo(3);
        assertThat(events().lastSequence(job)).isEqualTo(3);
    }

    @Test
    void aggregateAndLastSequenceFollowAppends() {
        JobRef job = newJob();
        for (int i = 0; i < 5; i++) {
            events().append(job, List.of(event("step_completed", i)));
            assertThat(events().lastSequence(job)).isEqualTo(i + 1);
            assertThat(events().aggregate(job).totalEvents()).isEqualTo(i + 1);
        }
        assertThat(sequences(EventFilter.forJob(job))).isEqualTo(range(1, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.prodigy.storage.tck.InvalidIds#all")
    void invalidRepositoryNamesAreRejectedBeforeReachingTheStore(String label, String bad) {
        assertInvalidInput(() -> events().listJobs(bad), "listJobs of repository name " + label);
        assertInvalidInput(() -> JobRef.of(bad, "job"), "a job ref with repository " + label);
        assertInvalidInput(() -> JobRef.of("repo", bad), "a job ref with job id " + label);
        assertInvalidInput(() -> new NewEvent(bad, null, "t", null, null, null), "an event with id " + label);
    }
}
