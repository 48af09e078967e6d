package io.prodigy.storage.s3;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several storages over one bucket and prefix (as several processes would be): concurrent appends and lock grants
 * across them, client clocks that disagree, and compaction of superseded generations.
 */
class S3SharedStoreTest {

    private final String prefix = S3TestServer.namespace("S3SharedStoreTest");
    private final List<S3Storage> opened = new ArrayList<>();

    private S3Storage open(Clock clock, StorageConfig cfg) {
        S3Storage s = S3Storage.open(S3StorageProvider.bind(cfg), cfg, new StorageContext(clock, null), List.of());
        opened.add(s);
        return s;
    }

    private S3Storage open(Clock clock) {
        return open(clock, S3TestServer.config(prefix));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(S3Storage::close);
    }

    @Test
    void twoStoragesAppendingToOneJobGetGapFreeDistinctSequences() throws Exception {
        S3Storage a = open(Clock.systemUTC());
        S3Storage b = open(Clock.systemUTC());
        JobRef job = JobRef.of("shared", "job-" + System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            S3Storage s = t % 2 == 0 ? a : b;
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    s.events().append(job, List.of(
                            new NewEvent("t" + thread + "-" + i + "-a", null, "x", null, null, null),
                            new NewEvent("t" + thread + "-" + i + "-b", null, "x", null, null, null)));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();

        List<EventRecord> events;
        try (Stream<EventRecord> s = a.events().query(EventFilter.forJob(job))) {
            events = s.toList();
        }
        assertThat(events.stream().map(EventRecord::sequence).toList())
                .isEqualTo(LongStream.rangeClosed(1, 240).boxed().toList());
        assertThat(new HashSet<>(events.stream().map(EventRecord::id).toList())).hasSize(240);
        for (int i = 0; i < events.size(); i += 2) {
            assertThat(events.get(i + 1).id()).as("a batch stays contiguous")
                    .isEqualTo(events.get(i).id().replace("-a", "-b"));
        }
        assertThat(b.events().lastSequence(job)).isEqualTo(240);
    }

    @Test
    void twoStoragesNeverHoldOneLockAtOnce() throws Exception {
        S3Storage a = open(Clock.systemUTC());
        S3Storage b = open(Clock.systemUTC());
        String key = "lock-" + System.nanoTime();
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            S3Storage s = t % 2 == 0 ? a : b;
            futures.add(pool.submit(() -> {
                long last = 0;
                for (int i = 0; i < 10; i++) {
                    LockLease lease = s.locks().acquire(key, Duration.ofSeconds(30), Duration.ofMinutes(2));
                    if (holders.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    assertThat(lease.fencingToken()).isGreaterThan(last);
                    last = lease.fencingToken();
                    grants.incrementAndGet();
                    holders.decrementAndGet();
                    s.locks().release(lease);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(overlaps).hasValue(0);
        assertThat(grants).hasValue(40);
        assertThat(a.locks().tryAcquire(key, Duration.ofSeconds(5)).orElseThrow().fencingToken()).isEqualTo(41);
    }

    /**
     * Expiry follows each client's own clock. A client whose clock is ahead by less than the lease's remaining time
     * still sees it held; one ahead by more takes it over early: exclusion holds only while skew stays below the
     * remaining lease. Fencing still rejects the overtaken holder's writes.
     */
    @Test
    void skewedClientClocksShiftExpiryByTheSkewAndFencingStillRejectsTheOvertakenHolder() {
        Instant base = Instant.now();
        S3Storage honest = open(Clock.fixed(base, java.time.ZoneOffset.UTC));
        S3Storage aheadBy5s = open(Clock.fixed(base.plusSeconds(5), java.time.ZoneOffset.UTC));
        S3Storage aheadBy11s = open(Clock.fixed(base.plusSeconds(11), java.time.ZoneOffset.UTC));
        String key = "skew-" + System.nanoTime();
        String id = "session-" + System.nanoTime();
        LockLease held = honest.locks().tryAcquire(key, Duration.ofSeconds(10)).orElseThrow();
        PersistedSession session = honest.sessions().save(PersistedSession.create(id, base), held.fence());

        assertThat(aheadBy5s.locks().tryAcquire(key, Duration.ofSeconds(10))).as("skew 5s < ttl 10s: still held")
                .isEmpty();
        LockLease taken = aheadBy11s.locks().tryAcquire(key, Duration.ofSeconds(10)).orElseThrow();
        assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());

        assertThatThrownBy(() -> honest.sessions().updateState(id, SessionState.FAILED, held.fence()))
                .isInstanceOf(FencingException.class);
        assertThat(aheadBy11s.sessions().updateState(id, SessionState.IN_PROGRESS, taken.fence()).revision())
                .isEqualTo(session.revision() + 1);
    }

    @Test
    void supersededGenerationsAreCompactedAfterTheGracePeriodAndTheRecordReadsTheSame() throws Exception {
        StorageConfig cfg = S3TestServer.config(prefix).withBackendOption("compaction_grace", "1s");
        S3Storage s = open(Clock.systemUTC(), cfg);
        String id = "compacted-" + System.nanoTime();
        PersistedSession saved = s.sessions().save(PersistedSession.create(id, Instant.parse("2026-01-01T00:00:00Z")));
        for (int i = 0; i < 8; i++) {
            saved = s.sessions().save(saved.withProgress(i, i));
        }
        String base = prefix + "sessions/" + KeyCodec.name(id) + "/";
        // Nine generations were written; how many are left already depends on how long the saves took.
        assertThat(s.objectStore().listAll(base).objects()).hasSizeBetween(2, 9);

        Thread.sleep(2_200); // past the grace period, by the server's clock (1 s resolution)
        saved = s.sessions().save(saved.withProgress(100, 100));

        assertThat(s.objectStore().listAll(base).objects()).as("only the newest two generations are left")
                .hasSize(2);
        assertThat(open(Clock.systemUTC()).sessions().load(id)).contains(saved);
        assertThat(saved.revision()).isEqualTo(10);

        s.sessions().delete(id);
        Thread.sleep(2_200);
        s.sessions().list(io.prodigy.storage.session.SessionFilter.ALL);
        assertThat(s.objectStore().listAll(base).objects()).as("a tombstoned record older than the grace period is"
                + " deleted whole").isEmpty();
        assertThat(s.sessions().save(PersistedSession.create(id, Instant.parse("2026-01-01T00:00:00Z"))).revision())
                .isEqualTo(1);
    }
}
