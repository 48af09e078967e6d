package io.prodigy.storage.memory;

import static io.prodigy.storage.memory.Fixtures.JOB;
import static io.prodigy.storage.memory.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.WorkflowFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour specific to the memory backend, beyond what the shared contract tests check. */
class MemoryStorageBehaviourTest {

    private final TestClock clock = new TestClock(T0);
    private final MemoryStorage storage = Fixtures.open(clock);

    @AfterEach
    void close() {
        storage.close();
    }

    private List<Runnable> oneCallPerStore() {
        return List.of(
                () -> storage.sessions().list(SessionFilter.ALL),
                () -> storage.sessions().save(Fixtures.session("s")),
                () -> storage.events().append(JOB, List.of(Fixtures.event("e", "t", T0))),
                () -> storage.events().query(EventFilter.forJob(JOB)),
                () -> storage.events().subscribe(EventFilter.forJob(JOB), 0, e -> { }),
                () -> storage.checkpoints().latest(CheckpointScope.workflow("wf")),
                () -> storage.dlq().list(DlqFilter.forJob(JOB)),
                () -> storage.dlq().claim(JOB, "w", 1, Duration.ofSeconds(1)),
                () -> storage.workflows().list(WorkflowFilter.ALL),
                () -> storage.locks().tryAcquire("k", Duration.ofSeconds(1)),
                () -> storage.locks().list(),
                storage::flush);
    }

    @Test
    void afterCloseEveryCallFailsAsClosedAndHealthIsDown() {
        storage.sessions().save(Fixtures.session("s-1"));
        storage.close();
        storage.close();

        for (Runnable call : oneCallPerStore()) {
            Throwable thrown = catchThrowable(call::run);
            assertThat(thrown).isInstanceOf(StorageClosedException.class)
                    .hasMessageStartingWith("Memory storage is closed");
            assertThat(((StorageException) thrown).isRetryable()).isFalse();
        }
        assertThat(storage.health().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void closeStopsSubscriptions() {
        EventSubscription subscription = storage.events().subscribe(EventFilter.forJob(JOB), 0, e -> { });
        assertThat(subscription.isActive()).isTrue();
        assertThat(storage.health().details()).containsEntry("subscriptions", 1);

        storage.close();

        assertThat(subscription.isActive()).isFalse();
    }

    @Test
    void anOpenQueryIsAStableViewUnaffectedByLaterAppendsAndPurges() {
        storage.events().append(JOB, List.of(Fixtures.event("e-1", "t", T0), Fixtures.event("e-2", "t", T0),
                Fixtures.event("e-3", "t", T0)));

        try (Stream<EventRecord> stream = storage.events().query(EventFilter.forJob(JOB))) {
            Iterator<EventRecord> it = stream.iterator();
            assertThat(it.next().sequence()).isEqualTo(1);

            storage.events().append(JOB, List.of(Fixtures.event("e-4", "t", T0)));
            storage.events().purge(JOB, T0.plusSeconds(1));

            List<Long> rest = new ArrayList<>();
            it.forEachRemaining(e -> rest.add(e.sequence()));
            assertThat(rest).containsExactly(2L, 3L);
        }
        assertThat(storage.events().query(EventFilter.forJob(JOB))).isEmpty();
        assertThat(storage.events().lastSequence(JOB)).isEqualTo(4);
        assertThat(storage.events().listJobs(null)).as("a job whose events were all purged").isEmpty();
    }

    @Test
    void aFilteredQueryStartsAtTheRequestedSequenceAcrossManyChunks() {
        List<io.prodigy.storage.event.NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            batch.add(Fixtures.event("e-" + i, i % 2 == 0 ? "even" : "odd", T0.plusMillis(i)));
        }
        storage.events().append(JOB, batch);

        try (Stream<EventRecord> s = storage.events().query(EventFilter.forJob(JOB).withAfterSequence(1_500)
                .withEventType("even").withLimit(3))) {
            assertThat(s.map(EventRecord::sequence)).containsExactly(1_502L, 1_504L, 1_506L);
        }
        storage.events().purge(JOB, T0.plusMillis(1_000));
        try (Stream<EventRecord> s = storage.events().query(EventFilter.forJob(JOB).withAfterSequence(999))) {
            assertThat(s.map(EventRecord::sequence)).containsExactlyElementsOf(
                    LongStream.rangeClosed(1_000, 2_000).boxed().toList());
        }
    }

    @Test
    void concurrentAppendsGetGapFreeSequencesAndExactAccounting() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        storage.events().append(JOB, List.of(Fixtures.event("t" + thread + "-" + i, "t", T0),
                                Fixtures.event("t" + thread + "-" + i + "-b", "t", T0)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long total = threads * perThread * 2L;
        try (Stream<EventRecord> s = storage.events().query(EventFilter.forJob(JOB))) {
            assertThat(s.map(EventRecord::sequence)).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, total).boxed().toList());
        }
        assertThat(storage.health().details()).containsEntry("entries", total);
        storage.events().deleteJob(JOB);
        assertThat(storage.health().details()).containsEntry("entries", 0L).containsEntry("bytes_used", 0L);
    }

    @Test
    void aSnapshotTakenDuringWritesHoldsWholeBatchesOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("snapshot.json");
        JobRef job = JobRef.of("r", "busy");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Path> copies = new ArrayList<>();
        try (MemoryStorage persistent = Fixtures.open(MemoryConfig.DEFAULT.persistingTo(file), clock)) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) {
                        persistent.events().append(job, List.of(Fixtures.event("a" + i, "t", T0),
                                Fixtures.event("b" + i, "t", T0)));
                        persistent.sessions().save(Fixtures.session("s-" + i));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            writer.start();
            for (int i = 0; i < 5; i++) {
                persistent.flush();
                Path copy = dir.resolve("copy-" + i + ".json");
                Files.copy(file, copy);
                copies.add(copy);
            }
            writer.join();
        }
        assertThat(failures).isEmpty();

        for (Path copy : copies) {
            try (MemoryStorage mid = Fixtures.open(MemoryConfig.DEFAULT.persistingTo(copy), clock)) {
                long last = mid.events().lastSequence(job);
                assertThat(last % 2).as("batches of two are never split by a snapshot").isZero();
                try (Stream<EventRecord> s = mid.events().query(EventFilter.forJob(job))) {
                    assertThat(s.map(EventRecord::sequence))
                            .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
                }
                int sessions = mid.sessions().list(SessionFilter.ALL).size();
                assertThat(sessions).as("each session follows its batch").isBetween((int) (last / 2) - 1,
                        (int) (last / 2));
            }
        }
        try (MemoryStorage reopened = Fixtures.open(MemoryConfig.DEFAULT.persistingTo(file), clock)) {
            assertThat(reopened.events().lastSequence(job)).isEqualTo(2_000);
            assertThat(reopened.sessions().list(SessionFilter.ALL)).hasSize(1_000);
        }
    }

    @Test
    void aRetriedAppendIsIdempotentAndReportsDuplicates() {
        var first = storage.events().append(JOB, List.of(Fixtures.event("e-1", "t", T0),
                Fixtures.event("e-2", "t", T0)));
        var retry = storage.events().append(JOB, List.of(Fixtures.event("e-1", "t", T0),
                Fixtures.event("e-2", "t", T0), Fixtures.event("e-3", "t", T0), Fixtures.event("e-3", "t", T0)));

        assertThat(first.appended()).isEqualTo(2);
        assertThat(retry.appended()).isEqualTo(1);
        assertThat(retry.duplicates()).isEqualTo(3);
        assertThat(retry.firstSequence()).isEqualTo(3);
        assertThat(retry.lastSequence()).isEqualTo(3);

        var allDuplicates = storage.events().append(JOB, List.of(Fixtures.event("e-3", "t", T0)));
        assertThat(allDuplicates.appended()).isZero();
        assertThat(allDuplicates.firstSequence()).isZero();
        assertThat(allDuplicates.lastSequence()).isEqualTo(3);
    }

    @Test
    void eventsWithoutATimestampAreStampedWithTheStoreClock() {
        clock.advance(Duration.ofMinutes(7));
        storage.events().append(JOB, List.of(Fixtures.event("e-1", "t", null)));

        try (Stream<EventRecord> s = storage.events().query(EventFilter.forJob(JOB))) {
            assertThat(s.findFirst().orElseThrow().timestamp()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
        }
    }

    @Test
    void aBlockingAcquireWakesOnARelease() throws Exception {
        var held = storage.locks().tryAcquire("k", Duration.ofMinutes(5)).orElseThrow();
        var waiter = new java.util.concurrent.CompletableFuture<io.prodigy.storage.lock.LockLease>();
        Thread t = new Thread(() -> {
            try {
                waiter.complete(storage.locks().acquire("k", Duration.ofMinutes(1), Duration.ofSeconds(30)));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        t.start();

        storage.locks().release(held);

        var lease = waiter.get(30, TimeUnit.SECONDS);
        assertThat(lease.fencingToken()).isEqualTo(held.fencingToken() + 1);
        assertThat(lease.owner()).startsWith("pid ");
    }

    @Test
    void aFailedSnapshotWriteAtCloseKeepsTheStoreOpen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("snap.json");
        MemoryStorage persistent = Fixtures.open(MemoryConfig.DEFAULT.persistingTo(file), clock);
        persistent.sessions().save(Fixtures.session("s-1"));
        // A non-empty directory where the snapshot goes: the atomic rename cannot replace it.
        Files.createDirectories(file.resolve("blocker"));

        assertThatThrownBy(persistent::close)
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("Could not write the memory snapshot to '" + file + "'");

        assertThat(persistent.sessions().load("s-1")).as("still open, nothing lost").isPresent();
        Files.delete(file.resolve("blocker"));
        Files.delete(file);
        persistent.close();
        assertThat(file).isRegularFile();
        assertThatThrownBy(() -> persistent.sessions().load("s-1")).isInstanceOf(StorageClosedException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("snap.json", "snap.json.lock");
        }
    }

    @Test
    void anUnusablePersistencePathIsReportedAsUnavailableNotCorrupt(@TempDir Path dir) throws Exception {
        Path parent = dir.resolve("a-file");
        Files.writeString(parent, "x");
        Path file = parent.resolve("snap.json");

        assertThatThrownBy(() -> Fixtures.open(MemoryConfig.DEFAULT.persistingTo(file), clock))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageStartingWith("Could not lock the memory snapshot at '" + file + "'");
    }
}
