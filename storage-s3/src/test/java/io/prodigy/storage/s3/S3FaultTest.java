package io.prodigy.storage.s3;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults injected into every kind of S3 request (refused and hung attempts before they are sent, 500 and 503 SlowDown
 * in place of the response after S3 applied the request): calls are retried per {@code retry_policy} inside the SDK,
 * and every acknowledged write is present exactly once afterwards, read back through a fault-free storage.
 */
class S3FaultTest {

    private static final RetryPolicy RETRIES = new RetryPolicy(6, Duration.ofMillis(5), Duration.ofMillis(100), 2.0,
            true);

    private final String prefix = S3TestServer.namespace("S3FaultTest");

    private S3Storage open(FaultInjector faults) {
        StorageConfig cfg = S3TestServer.config(prefix).withRetryPolicy(RETRIES).withTimeout(Duration.ofSeconds(14));
        return S3Storage.open(S3StorageProvider.bind(cfg), cfg, StorageContext.withoutProject(),
                faults == null ? List.of() : List.of(faults));
    }

    @Test
    void everyAcknowledgedWriteIsStoredExactlyOnceUnderInjectedFaults() throws Exception {
        FaultInjector faults = new FaultInjector(42, 0.2, 2_500);
        JobRef job = JobRef.of("faults", "job-" + System.nanoTime());
        String sessionId = "session-" + System.nanoTime();
        String itemId = "item-1";
        Set<String> ackedEvents = ConcurrentHashMap.newKeySet();
        Set<String> unknownEvents = ConcurrentHashMap.newKeySet();
        AtomicInteger ackedUpdates = new AtomicInteger();
        AtomicInteger ackedFailures = new AtomicInteger();
        AtomicInteger unknownFailures = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        try (S3Storage faulty = open(faults)) {
            faults.enabled(false);
            faulty.sessions().save(PersistedSession.create(sessionId, Instant.parse("2026-01-01T00:00:00Z")));
            faults.enabled(true);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        List<NewEvent> batch = List.of(event(thread, i, 0), event(thread, i, 1));
                        try {
                            faulty.events().append(job, batch);
                            batch.forEach(e -> ackedEvents.add(e.id()));
                        } catch (StorageUnavailableException e) {
                            unavailable.incrementAndGet();
                            batch.forEach(ev -> unknownEvents.add(ev.id()));
                        }
                        try {
                            faulty.sessions().updateState(sessionId, SessionState.values()[i % 3]);
                            ackedUpdates.incrementAndGet();
                        } catch (StorageUnavailableException e) {
                            unavailable.incrementAndGet();
                        }
                        try {
                            faulty.dlq().add(job, DlqFailure.of(itemId, null, "t" + thread + "-" + i));
                            ackedFailures.incrementAndGet();
                        } catch (StorageUnavailableException e) {
                            unavailable.incrementAndGet();
                            unknownFailures.incrementAndGet();
                        }
                        try {
                            faulty.locks().tryAcquire("lock-" + thread, Duration.ofSeconds(30))
                                    .ifPresent(faulty.locks()::release);
                        } catch (StorageUnavailableException e) {
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
        System.out.println("S3FaultTest: injected " + faults.total() + " faults " + faults.injected()
                + "; calls that failed after all retries: " + unavailable.get());

        assertThat(faults.total()).as("faults injected").isGreaterThan(50);
        try (S3Storage clean = open(null)) {
            List<EventRecord> events;
            try (Stream<EventRecord> s = clean.events().query(EventFilter.forJob(job))) {
                events = s.toList();
            }
            List<Long> sequences = events.stream().map(EventRecord::sequence).toList();
            assertThat(sequences).as("gap-free from 1").isEqualTo(
                    java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
            List<String> ids = events.stream().map(EventRecord::id).toList();
            assertThat(new HashSet<>(ids)).as("no event stored twice").hasSize(ids.size());
            assertThat(ids).as("every acknowledged event is stored").containsAll(ackedEvents);
            assertThat(ackedEvents.size() + unknownEvents.size()).isGreaterThanOrEqualTo(ids.size());
            assertThat(ids).allMatch(id -> ackedEvents.contains(id) || unknownEvents.contains(id));

            PersistedSession session = clean.sessions().load(sessionId).orElseThrow();
            assertThat(session.revision() - 1).as("each acknowledged update applied once")
                    .isBetween((long) ackedUpdates.get(), (long) ackedUpdates.get() + unavailable.get());
            DlqItem item = clean.dlq().get(job, itemId).orElseThrow();
            assertThat(item.failureHistory().size()).as("each acknowledged failure recorded once")
                    .isBetween(ackedFailures.get(), ackedFailures.get() + unknownFailures.get());
        }
    }

    private static NewEvent event(int thread, int i, int n) {
        return new NewEvent("e-" + thread + "-" + i + "-" + n, null, "step_completed", null, null, null);
    }
}
