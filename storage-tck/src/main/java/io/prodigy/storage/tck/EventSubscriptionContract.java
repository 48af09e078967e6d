package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventStorage#subscribe}: a subscriber sees every matching event appended after it
 * subscribed, in per-job sequence order (at least once: a redelivery may repeat an event but never goes back in the
 * log); it can resume from {@link EventSubscription#lastDeliveredSequence()} after closing; a handler that throws stops
 * its subscription; after {@code close} returns the handler is not called again.
 *
 * <p>Delivery happens on the store's thread, so these tests wait (with {@link Await}, a hang guard, never a speed
 * assertion) until the expected events arrived. Negative checks ("nothing more arrives") wait a short, fixed
 * {@link #quietPeriod()}.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryEventSubscriptionContractTest extends EventSubscriptionContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 */
public abstract class EventSubscriptionContract extends StorageContractSupport {

    /**
     * How long a test waits to make sure that nothing more is delivered; raise it for a backend whose subscribers
     * poll a remote server less often.
     */
    protected Duration quietPeriod() {
        return Duration.ofMillis(300);
    }

    private EventStorage events() {
        return storage().events();
    }

    private static NewEvent event(String type, long n) {
        return new NewEvent(UUID.randomUUID().toString(), at(n), type, Json.nodes().objectNode().put("n", n), null,
                null);
    }

    private void appendMany(JobRef job, String type, int count) {
        events().append(job, IntStream.range(0, count).mapToObj(i -> event(type, i)).toList());
    }

    private EventSubscription subscribe(EventFilter filter, long after, Consumer<EventRecord> handler) {
        return closeAfterTest(events().subscribe(filter, after, handler));
    }

    private static List<Long> sequences(List<EventRecord> records) {
        return records.stream().map(EventRecord::sequence).toList();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    /** Sequences in delivery order, with at-least-once repeats removed; fails if delivery ever went backwards. */
    private static List<Long> distinctInOrder(List<EventRecord> delivered) {
        List<Long> out = new ArrayList<>();
        long previous = 0;
        for (EventRecord e : delivered) {
            assertThat(e.sequence()).as("delivery never goes back in the log").isGreaterThanOrEqualTo(previous);
            if (e.sequence() > previous) {
                out.add(e.sequence());
            }
            previous = e.sequence();
        }
        return out;
    }

    @Test
    void deliversEveryEventAppendedAfterSubscribingInOrder() {
        JobRef job = newJob();
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job), 0, got::add);

        appendMany(job, "t", 10);
        events().append(job, List.of(event("single", 0)));
        appendMany(job, "t", 39);

        Await.until("50 events were delivered", () -> distinctInOrder(got).size() >= 50);
        assertThat(distinctInOrder(got)).isEqualTo(range(1, 50));
        assertThat(got).allSatisfy(e -> assertThat(e.job()).isEqualTo(job));
    }

    @Test
    void deliveredEventsCarryTheStoredFields() {
        JobRef job = newJob();
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job), 0, got::add);
        NewEvent sent = event("agent_completed", 42).withAgentId("agent-1").withCorrelationId("corr-1");
        events().append(job, List.of(sent));

        Await.until("the event was delivered", () -> !got.isEmpty());
        EventRecord stored;
        try (var s = events().query(EventFilter.forJob(job))) {
            stored = s.findFirst().orElseThrow();
        }
        assertThat(got.get(0)).isEqualTo(stored);
        assertThat(got.get(0).id()).isEqualTo(sent.id());
    }

    @Test
    void subscribingFromNowSkipsEarlierEvents() {
        JobRef job = newJob();
        appendMany(job, "old", 5);
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        closeAfterTest(events().subscribe(EventFilter.forJob(job), got::add));

        appendMany(job, "new", 3);

        Await.until("the 3 new events were delivered", () -> distinctInOrder(got).size() >= 3);
        assertThat(distinctInOrder(got)).isEqualTo(range(6, 8));
        assertThat(got).allSatisfy(e -> assertThat(e.eventType()).isEqualTo("new"));
    }

    @Test
    void subscribingFromZeroReplaysTheWholeLogFirst() {
        JobRef job = newJob();
        appendMany(job, "old", 25);
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job), 0, got::add);
        appendMany(job, "new", 5);

        Await.until("30 events were delivered", () -> distinctInOrder(got).size() >= 30);
        assertThat(distinctInOrder(got)).isEqualTo(range(1, 30));
    }

    @Test
    void deliversOnlyMatchingEventsOfTheSubscribedJob() {
        JobRef job = newJob();
        JobRef otherJob = JobRef.of(job.repository(), uniqueId("job"));
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job).withEventType("wanted"), 0, got::add);

        events().append(otherJob, List.of(event("wanted", 0), event("wanted", 1)));
        events().append(job, List.of(event("other", 0), event("wanted", 1), event("other", 2)));
        events().append(job, List.of(event("wanted", 3)));

        Await.until("the 2 matching events were delivered", () -> distinctInOrder(got).size() >= 2);
        Await.sleep(quietPeriod());
        assertThat(distinctInOrder(got)).containsExactly(2L, 4L);
        assertThat(got).allSatisfy(e -> {
            assertThat(e.job()).isEqualTo(job);
            assertThat(e.eventType()).isEqualTo("wanted");
        });
    }

    @Test
    void lastDeliveredSequenceStartsAtTheStartingPointAndFollowsDelivery() {
        JobRef job = newJob();
        appendMany(job, "t", 4);
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        EventSubscription sub = subscribe(EventFilter.forJob(job), 4, got::add);
        assertThat(sub.lastDeliveredSequence()).isEqualTo(4);
        assertThat(sub.isActive()).isTrue();

        appendMany(job, "t", 2);
        Await.until("events 5 and 6 were delivered", () -> sub.lastDeliveredSequence() >= 6);
        assertThat(distinctInOrder(got)).containsExactly(5L, 6L);
        assertThat(sub.lastDeliveredSequence()).isEqualTo(6);
    }

    @Test
    void resumesAfterTheLastDeliveredSequenceWithoutLosingEvents() {
        JobRef job = newJob();
        List<EventRecord> firstRun = new CopyOnWriteArrayList<>();
        EventSubscription first = events().subscribe(EventFilter.forJob(job), 0, firstRun::add);
        appendMany(job, "t", 5);
        Await.until("the first 5 events were delivered", () -> first.lastDeliveredSequence() >= 5);
        first.close();
        long resumeFrom = first.lastDeliveredSequence();
        assertThat(resumeFrom).isEqualTo(5);
        assertThat(first.isActive()).isFalse();

        appendMany(job, "while-away", 7);

        List<EventRecord> secondRun = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job), resumeFrom, secondRun::add);
        appendMany(job, "after", 3);

        Await.until("the 10 events after the resume point were delivered",
                () -> distinctInOrder(secondRun).size() >= 10);
        assertThat(distinctInOrder(secondRun)).isEqualTo(range(6, 15));
        assertThat(distinctInOrder(firstRun)).isEqualTo(range(1, 5));
    }

    @Test
    void aHandlerExceptionStopsTheSubscription() {
        JobRef job = newJob();
        AtomicInteger calls = new AtomicInteger();
        EventSubscription sub = subscribe(EventFilter.forJob(job), 0, e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("handler failure for the test");
        });

        appendMany(job, "t", 3);
        Await.until("the subscription stopped after the handler threw", () -> !sub.isActive());
        events().append(job, List.of(event("more", 0)));
        Await.sleep(quietPeriod());

        assertThat(calls).as("the handler was called once, then never again").hasValue(1);
        assertThat(sub.lastDeliveredSequence()).as("the failed event is not counted as delivered, so a resume re-delivers it").isZero();
    }

    @Test
    void closeStopsDelivery() {
        JobRef job = newJob();
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        EventSubscription sub = events().subscribe(EventFilter.forJob(job), 0, got::add);
        appendMany(job, "t", 2);
        Await.until("2 events were delivered", () -> distinctInOrder(got).size() >= 2);

        sub.close();
        int countAtClose = got.size();
        appendMany(job, "t", 5);
        Await.sleep(quietPeriod());

        assertThat(sub.isActive()).isFalse();
        assertThat(got).as("no delivery after close returned").hasSize(countAtClose);
        sub.close();
        assertThat(sub.isActive()).as("close is idempotent").isFalse();
    }

    @Test
    void independentSubscribersEachSeeEveryEvent() {
        JobRef job = newJob();
        List<EventRecord> a = new CopyOnWriteArrayList<>();
        List<EventRecord> b = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job), 0, a::add);
        subscribe(EventFilter.forJob(job), 0, b::add);

        for (int i = 0; i < 20; i++) {
            events().append(job, List.of(event("t", i)));
        }

        Await.until("both subscribers got 20 events",
                () -> distinctInOrder(a).size() >= 20 && distinctInOrder(b).size() >= 20);
        assertThat(distinctInOrder(a)).isEqualTo(range(1, 20));
        assertThat(distinctInOrder(b)).isEqualTo(range(1, 20));
    }

    @Test
    void eventsAppendedByAnotherThreadWhileDeliveringAreAllDelivered() throws Exception {
        JobRef job = newJob();
        List<EventRecord> got = new CopyOnWriteArrayList<>();
        subscribe(EventFilter.forJob(job), 0, got::add);

        Thread appender = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                events().append(job, List.of(event("t", i)));
            }
        });
        appender.start();
        appender.join(Await.DEFAULT_TIMEOUT.toMillis());

        Await.until("200 events were delivered", () -> distinctInOrder(got).size() >= 200);
        assertThat(distinctInOrder(got)).isEqualTo(range(1, 200));
        assertThat(sequences(got)).as("each delivered event belongs to the log").allMatch(s -> s >= 1 && s <= 200);
    }
}
