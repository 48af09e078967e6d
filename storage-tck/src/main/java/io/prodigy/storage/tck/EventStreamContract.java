package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventStorage} for large logs and concurrent use: {@code query} streams are lazy (a query over
 * 20,000 events yields its first elements without reading them all, may be abandoned after a few elements, and its
 * {@code close} releases what it held), an open stream never blocks appends, readers never see part of a batch, and
 * concurrent appenders to one job get distinct, gap-free sequences with each batch kept contiguous.
 *
 * <p>Timeouts in these tests only guard against hangs (a stream that materializes 20,000 events on a loaded machine
 * still passes; one that blocks forever fails instead of hanging the build).
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryEventStreamContractTest extends EventStreamContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 */
public abstract class EventStreamContract extends StorageContractSupport {

    /** Size of the log the laziness tests read from; override to shrink it for a slow remote server. */
    protected int largeLog() {
        return 20_000;
    }

    /** How long one read of the large log may take before it counts as hung. */
    protected Duration hangGuard() {
        return Duration.ofSeconds(60);
    }

    private EventStorage events() {
        return storage().events();
    }

    private static NewEvent event(String type, long n) {
        return new NewEvent(UUID.randomUUID().toString(), at(n), type, Json.nodes().objectNode().put("n", n), null,
                null);
    }

    private JobRef jobWithEvents(int count) {
        JobRef job = newJob();
        int batch = 1_000;
        for (int start = 0; start < count; start += batch) {
            int from = start;
            events().append(job, IntStream.range(from, Math.min(count, from + batch))
                    .mapToObj(i -> event(i % 3 == 0 ? "agent_completed" : "progress", i)).toList());
        }
        return job;
    }

    @Test
    void aQueryOverALargeLogYieldsItsFirstEventsAndHonoursClose() {
        JobRef job = jobWithEvents(largeLog());
        AtomicBoolean closed = new AtomicBoolean();

        List<Long> firstTen = assertTimeout(hangGuard(), () -> {
            List<Long> taken = new ArrayList<>();
            try (Stream<EventRecord> stream = events().query(EventFilter.forJob(job)).onClose(() -> closed.set(true))) {
                Iterator<EventRecord> it = stream.iterator();
                while (taken.size() < 10 && it.hasNext()) {
                    taken.add(it.next().sequence());
                }
            }
            return taken;
        });

        assertThat(firstTen).isEqualTo(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(closed).as("closing the stream ran its close handlers").isTrue();
        assertThat(events().lastSequence(job)).isEqualTo(largeLog());
    }

    @Test
    void aLimitedQueryOverALargeLogReturnsOnlyTheLimit() {
        JobRef job = jobWithEvents(largeLog());

        List<EventRecord> tail = assertTimeout(hangGuard(), () -> {
            try (Stream<EventRecord> s = events().query(EventFilter.forJob(job).withAfterSequence(19_990)
                    .withLimit(5))) {
                return s.toList();
            }
        });
        assertThat(tail).extracting(EventRecord::sequence).containsExactly(19_991L, 19_992L, 19_993L, 19_994L,
                19_995L);

        List<EventRecord> typed = assertTimeout(hangGuard(), () -> {
            try (Stream<EventRecord> s = events().query(EventFilter.forJob(job).withEventType("agent_completed")
                    .withLimit(3))) {
                return s.toList();
            }
        });
        assertThat(typed).extracting(EventRecord::sequence).containsExactly(1L, 4L, 7L);
    }

    @Test
    void shortCircuitingOperationsStopReadingEarly() {
        JobRef job = jobWithEvents(largeLog());

        EventRecord first = assertTimeout(hangGuard(), () -> {
            try (Stream<EventRecord> s = events().query(EventFilter.forJob(job))) {
                return s.filter(e -> e.sequence() == 3).findFirst().orElseThrow();
            }
        });
        assertThat(first.data().get("n").asLong()).isEqualTo(2);
    }

    @Test
    void manyAbandonedStreamsLeaveTheStoreUsable() {
        JobRef job = jobWithEvents(50);
        for (int i = 0; i < 2_000; i++) {
            try (Stream<EventRecord> s = events().query(EventFilter.forJob(job))) {
                Iterator<EventRecord> it = s.iterator();
                assertThat(it.next().sequence()).isEqualTo(1);
                assertThat(it.next().sequence()).isEqualTo(2);
            }
        }

        assertThat(events().append(job, List.of(event("after", 0))).firstSequence()).isEqualTo(51);
        try (Stream<EventRecord> s = events().query(EventFilter.forJob(job))) {
            assertThat(s.count()).isEqualTo(51);
        }
    }

    /**
     * A stream must not hold a lock that appends need: {@code PollingSubscription} keeps its query stream open while
     * the handler runs, so a handler that appends to the job it follows would otherwise deadlock.
     */
    @Test
    void anOpenStreamDoesNotBlockAppends() throws Exception {
        JobRef job = jobWithEvents(5_000);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Stream<EventRecord> stream = events().query(EventFilter.forJob(job))) {
            Iterator<EventRecord> it = stream.iterator();
            for (long expected = 1; expected <= 5; expected++) {
                assertThat(it.next().sequence()).isEqualTo(expected);
            }

            Future<?> append = writer.submit(() -> events().append(job, List.of(event("during", 0))));
            append.get(hangGuard().toSeconds(), TimeUnit.SECONDS);

            long expected = 6;
            while (it.hasNext() && expected <= 5_000) {
                assertThat(it.next().sequence()).isEqualTo(expected++);
            }
            assertThat(expected).as("the open stream kept yielding the log in order").isEqualTo(5_001);
        } finally {
            writer.shutdownNow();
        }
        assertThat(events().lastSequence(job)).isEqualTo(5_001);
    }

    @Test
    void readersNeverSeePartOfABatch() throws Exception {
        JobRef job = newJob();
        int batchSize = 5;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> violations = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int b = 0; b < 300; b++) {
                        int base = b * batchSize;
                        events().append(job, IntStream.range(0, batchSize).mapToObj(i -> event("t", base + i))
                                .toList());
                    }
                } finally {
                    writing.set(false);
                }
            });
            Future<?> reader = pool.submit(() -> {
                int reads = 0;
                while (writing.get() || reads < 3) {
                    reads++;
                    List<Long> seen;
                    try (Stream<EventRecord> s = events().query(EventFilter.forJob(job))) {
                        seen = s.map(EventRecord::sequence).toList();
                    }
                    if (seen.size() % batchSize != 0) {
                        violations.add("saw " + seen.size() + " events, not a whole number of batches");
                    }
                    for (int i = 0; i < seen.size(); i++) {
                        if (seen.get(i) != i + 1) {
                            violations.add("gap or disorder at position " + i + ": " + seen.get(i));
                            break;
                        }
                    }
                    long last = events().lastSequence(job);
                    if (last % batchSize != 0) {
                        violations.add("lastSequence " + last + " is inside a batch");
                    }
                }
            });
            writer.get(hangGuard().toSeconds(), TimeUnit.SECONDS);
            reader.get(hangGuard().toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).isEmpty();
        assertThat(events().lastSequence(job)).isEqualTo(300L * batchSize);
    }

    @Test
    void concurrentAppendersGetDistinctGapFreeSequencesAndContiguousBatches() throws Exception {
        JobRef job = newJob();
        int threads = 8;
        int batchesPerThread = 50;
        Map<String, String> firstToSecond = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(CompletableFuture.runAsync(() -> {
                    for (int b = 0; b < batchesPerThread; b++) {
                        NewEvent first = event("first", b);
                        NewEvent second = event("second", b);
                        firstToSecond.put(first.id(), second.id());
                        events().append(job, List.of(first, second));
                    }
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(hangGuard().toSeconds(),
                    TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        List<EventRecord> log;
        try (Stream<EventRecord> s = events().query(EventFilter.forJob(job))) {
            log = s.toList();
        }
        int total = threads * batchesPerThread * 2;
        assertThat(log).extracting(EventRecord::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(log).extracting(EventRecord::id).doesNotHaveDuplicates();
        for (int i = 0; i < log.size(); i += 2) {
            EventRecord first = log.get(i);
            assertThat(first.eventType()).as("event at sequence %d starts a batch", first.sequence())
                    .isEqualTo("first");
            assertThat(log.get(i + 1).id()).as("the batch of %s is contiguous", first.id())
                    .isEqualTo(firstToSecond.get(first.id()));
        }
    }
}
