package io.prodigy.storage.migrate.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.testing.SampleData;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.tck.fault.FaultInjectingStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link StorageMigrator#follow} against real stores while real writer threads keep working on the source. */
class LiveMigrationTest {

    private static final JobRef SHARED = JobRef.of("live", "shared");
    private static final int WRITERS = 4;
    private static final Duration POLL = Duration.ofMillis(50);

    @TempDir
    Path dir;

    /** Which real backends the source and the target are. */
    enum Pair {
        MEMORY_TO_FILE((dir, side) -> side == 0 ? Stores.memory() : Stores.file(dir.resolve("target"))),
        FILE_TO_MEMORY((dir, side) -> side == 0 ? Stores.file(dir.resolve("source")) : Stores.memory()),
        FILE_TO_FILE((dir, side) -> Stores.file(dir.resolve(side == 0 ? "source" : "target")));

        private final BiFunction<Path, Integer, UnifiedStorage> open;

        Pair(BiFunction<Path, Integer, UnifiedStorage> open) {
            this.open = open;
        }
    }

    /** What the writers were told was stored (acknowledged), and what they deleted. */
    private static final class Acknowledged {
        final Set<String> sharedEvents = Collections.synchronizedSet(new HashSet<>());
        final Set<String> deletedSessions = Collections.synchronizedSet(new HashSet<>());
        final Set<String> removedDlqItems = Collections.synchronizedSet(new HashSet<>());
        final AtomicInteger ownEvents = new AtomicInteger();
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void followsFourWritersAndCutsOverToAnExactMirror(Pair pair) throws Exception {
        try (UnifiedStorage source = pair.open.apply(dir, 0); UnifiedStorage target = pair.open.apply(dir, 1)) {
            SampleData.populate(source);
            StopSignal stop = StopSignal.manual();
            AtomicInteger passesWithEvents = new AtomicInteger();
            FollowOptions options = FollowOptions.DEFAULT.withPollInterval(POLL).withBatchSize(50)
                    .withPasses(p -> {
                        if (!p.cutover() && p.events() > 0) {
                            passesWithEvents.incrementAndGet();
                        }
                    });
            CompletableFuture<FollowReport> running = CompletableFuture.supplyAsync(
                    () -> new StorageMigrator(source, target).follow(options, stop));

            Acknowledged acked = new Acknowledged();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(source, writer, writing, acked)));
            }
            // Keep writing until the follow has copied writers' events in at least three passes (bounded wait).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (passesWithEvents.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            writing.set(false);
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            // A worker still holds a lock and a DLQ claim at cut-over: both reported, neither copied.
            LockLease lease = source.locks().tryAcquire("live-worker-lock", Duration.ofMinutes(5)).orElseThrow();
            List<DlqItem> claimed = source.dlq().claim(SHARED, "worker-x", 1, Duration.ofMinutes(5));
            stop.request("writers drained");
            FollowReport report = running.get(120, TimeUnit.SECONDS);

            assertThat(passesWithEvents.get()).as("passes that copied writers' events").isGreaterThanOrEqualTo(3);
            assertThat(report.ok()).as(report.summary()).isTrue();
            assertThat(report.verification().mirrors()).isTrue();
            assertThat(report.stopReason()).isEqualTo("writers drained");
            assertThat(report.eventsDuringFollow()).isPositive();
            assertThat(report.recordsDuringFollow()).isPositive();
            assertThat(report.passes().get(report.passes().size() - 1).cutover()).isTrue();
            assertThat(report.maxLag()).isGreaterThanOrEqualTo(report.lastLag());
            assertThat(report.locksAtCutover()).extracting(HeldLock::key).containsExactly("live-worker-lock");
            assertThat(report.locksAtCutover().get(0).holder()).isNotBlank();
            assertThat(report.claimsAtCutover()).isEqualTo(claimed.size()).isEqualTo(1);
            assertThat(target.locks().list()).as("leases are never copied").isEmpty();
            assertThat(target.dlq().get(SHARED, claimed.get(0).itemId()).orElseThrow().claim())
                    .as("claims are never copied").isNull();
            source.locks().release(lease);

            // Every acknowledged event exactly once, gap-free, in the shared job and in each writer's own job.
            List<EventRecord> shared = events(target, SHARED);
            assertThat(shared).extracting(EventRecord::id).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(acked.sharedEvents);
            assertThat(shared).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, shared.size()).boxed().toList());
            long own = 0;
            for (int w = 0; w < WRITERS; w++) {
                List<EventRecord> mine = events(target, ownJob(w));
                assertThat(mine).extracting(EventRecord::sequence)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, mine.size()).boxed().toList());
                own += mine.size();
            }
            assertThat(own).isEqualTo(acked.ownEvents.get());
            for (String id : acked.deletedSessions) {
                assertThat(target.sessions().load(id)).as("session deleted in the source: " + id).isEmpty();
            }
            for (String id : acked.removedDlqItems) {
                assertThat(target.dlq().get(SHARED, id)).as("DLQ item removed in the source: " + id).isEmpty();
            }
            assertThat(target.events().lastSequence(SampleData.HOLES))
                    .isEqualTo(source.events().lastSequence(SampleData.HOLES));
        }
    }

    /** One writer: events to the shared job and to its own, sessions saved and deleted, DLQ items added and removed. */
    private static void write(UnifiedStorage source, int writer, AtomicBoolean writing, Acknowledged acked) {
        JobRef own = ownJob(writer);
        int i = 0;
        // Paced like agents (a round every 100 ms each): a follow converges only on a target that takes writes faster
        // than the source gets them, and a file target fsyncs every write. At least 20 rounds.
        while (writing.get() || i < 20) {
            List<NewEvent> batch = new ArrayList<>();
            for (int k = 0; k <= i % 3; k++) {
                batch.add(new NewEvent("w" + writer + "-" + i + "-" + k, null, "agent_progress",
                        Json.nodes().objectNode().put("writer", writer).put("i", i), null, "agent-" + writer));
            }
            source.events().append(SHARED, batch);
            batch.forEach(e -> acked.sharedEvents.add(e.id()));
            source.events().append(own, List.of(NewEvent.of("tick", Json.nodes().objectNode().put("i", i))));
            acked.ownEvents.incrementAndGet();

            String session = "s-" + writer + "-" + i;
            PersistedSession saved = source.sessions().save(PersistedSession.create(session, Instant.now()));
            source.sessions().save(saved.withState(SessionState.COMPLETED));
            if (i % 4 == 0) {
                source.sessions().delete(session);
                acked.deletedSessions.add(session);
            }
            if (i % 2 == 1) {
                i++;
                pause();
                continue;
            }
            String item = "item-" + writer + "-" + i;
            source.dlq().add(SHARED, DlqFailure.of(item, Json.nodes().objectNode().put("n", i), "boom"));
            if (i % 4 == 0) {
                source.dlq().add(SHARED, DlqFailure.of(item, null, "boom again"));
            }
            if (i % 10 == 0) {
                source.dlq().remove(SHARED, item, null);
                acked.removedDlqItems.add(item);
            }
            Checkpoint cp = Checkpoint.job("cp-" + writer, own, CheckpointKind.MAP, 1, Instant.now(), i,
                    Json.nodes().objectNode().put("done", i));
            source.checkpoints().latest(io.prodigy.storage.checkpoint.CheckpointScope.job(own))
                    .ifPresentOrElse(c -> source.checkpoints().save(cp.withRevision(c.revision())),
                            () -> source.checkpoints().save(cp));
            i++;
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("writer interrupted", e);
        }
    }

    @Test
    void aKilledLiveMigrationResumesWithoutDuplicatesAndCatchesUpWithChanges() {
        JobRef job = JobRef.of("repo", "job");
        try (UnifiedStorage source = Stores.memory(); UnifiedStorage files = Stores.file(dir.resolve("target"))) {
            append(source, job, 0, 10);
            source.sessions().save(PersistedSession.create("keep", Instant.now()));
            source.sessions().save(PersistedSession.create("drop", Instant.now()));
            FaultInjectingStorage target = FaultInjectingStorage.wrap(files);
            StopSignal never = StopSignal.manual();
            FollowOptions options = FollowOptions.DEFAULT.withPollInterval(Duration.ofMillis(10)).withPasses(p -> {
                if (p.number() == 1) {
                    // Writers go on; then the process dies inside the next pass's append, after the target stored it.
                    append(source, job, 10, 5);
                    target.inject(Fault.on("events.append").onCall(1).failAfterApplying(Fault.LOST_REPLY));
                }
            });
            assertThatThrownBy(() -> new StorageMigrator(source, target).follow(options, never))
                    .isInstanceOf(StorageUnavailableException.class);
            assertThat(files.events().lastSequence(job)).isEqualTo(15);

            // While the migration is down, the source keeps changing.
            append(source, job, 15, 3);
            PersistedSession keep = source.sessions().load("keep").orElseThrow();
            source.sessions().save(keep.withState(SessionState.FAILED));
            source.sessions().delete("drop");

            target.clearFaults();
            StopSignal already = StopSignal.manual();
            already.request("resume and cut over");
            int appendsBefore = target.calls("events.append").size();
            // The target now holds a session the source deleted: refused unless told this is the migration's target.
            assertThatThrownBy(() -> new StorageMigrator(source, target)
                    .follow(FollowOptions.DEFAULT.withPollInterval(Duration.ofMillis(10)), already))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("The target holds 1 record(s) the source does not have (session drop)");
            assertThat(target.calls("events.append")).as("nothing written").hasSize(appendsBefore);
            assertThat(files.sessions().load("drop")).isPresent();

            FollowReport resumed = new StorageMigrator(source, target).follow(FollowOptions.DEFAULT
                    .withPollInterval(Duration.ofMillis(10)).withMirrorTarget(true), already);

            assertThat(resumed.ok()).as(resumed.summary()).isTrue();
            assertThat(resumed.bulk().counts(io.prodigy.storage.migrate.RecordType.EVENT).alreadyPresent())
                    .isEqualTo(15);
            assertThat(resumed.bulk().counts(io.prodigy.storage.migrate.RecordType.EVENT).copied()).isEqualTo(3);
            assertThat(events(files, job)).extracting(EventRecord::id)
                    .containsExactlyElementsOf(Stream.iterate(0, n -> n + 1).limit(18).map(n -> "e" + n).toList());
            assertThat(events(files, job)).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 18).boxed().toList());
            assertThat(files.sessions().load("keep").orElseThrow().state()).isEqualTo(SessionState.FAILED);
            assertThat(files.sessions().load("drop")).isEmpty();
            assertThat(resumed.passes()).hasSize(1).allMatch(FollowPass::cutover);
            assertThat(resumed.passes().get(0).removed()).isEqualTo(1);
        }
    }

    @Test
    void aStopSignalFiresOnItsFileOrItsTimeAndKeepsTheFirstReason() throws Exception {
        Path file = dir.resolve("cut-over-now");
        StopSignal signal = StopSignal.manual().orWhenFileExists(file)
                .orAfter(Duration.ofHours(1), java.time.Clock.systemUTC());
        assertThat(signal.await(Duration.ofMillis(30))).isFalse();
        assertThat(signal.reason()).isEmpty();
        java.nio.file.Files.writeString(file, "");
        assertThat(signal.await(Duration.ofSeconds(5))).isTrue();
        assertThat(signal.reason()).contains(file + " appeared");
        signal.request("too late");
        assertThat(signal.reason()).contains(file + " appeared");

        StopSignal timed = StopSignal.manual().orAfter(Duration.ZERO, java.time.Clock.systemUTC());
        assertThat(timed.fired()).isTrue();
        assertThat(timed.reason()).contains("0s passed");
    }

    private static JobRef ownJob(int writer) {
        return JobRef.of("live", "writer-" + writer);
    }

    private static void append(UnifiedStorage store, JobRef job, int from, int count) {
        List<NewEvent> events = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            events.add(new NewEvent("e" + n, Instant.now(), "tick", Json.nodes().objectNode().put("n", n), null,
                    null));
        }
        store.events().append(job, events);
    }

    private static List<EventRecord> events(UnifiedStorage store, JobRef job) {
        try (Stream<EventRecord> all = store.events().query(EventFilter.forJob(job))) {
            return all.toList();
        }
    }
}
