package io.prodigy.storage.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.copy.FollowOptions;
import io.prodigy.storage.migrate.copy.FollowReport;
import io.prodigy.storage.migrate.copy.StopSignal;
import io.prodigy.storage.migrate.copy.StorageMigrator;
import io.prodigy.storage.page.PageRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-downtime move of issue 14: a file store is followed into PostgreSQL while four processes of the built CLI
 * jar keep appending to one job (each in ten separate {@code events append} runs, so writes arrive during the whole
 * follow) and a worker claims and settles DLQ items of another job. After the cut-over the target must hold every
 * acknowledged event exactly once, sequences 1..10,000 without a gap, and mirror the source (the follow's own
 * verification), with no DLQ item lost or duplicated.
 */
class LiveMigrationIT {

    private static final int PROCESSES = 4;
    private static final int RUNS = 10;
    private static final int PER_RUN = 250;
    private static final JobRef JOB = JobRef.of("live-repo", "fan-in");
    private static final JobRef DLQ_JOB = JobRef.of("live-repo", "retries");

    @TempDir
    Path tmp;

    @Test
    void fileStoreFollowedIntoPostgresWhileFourProcessesAppendAndAWorkerClaims() throws Exception {
        try (TestStore sourceStore = Backend.FILE.fresh("livesrc"); TestStore targetStore =
                Backend.POSTGRES.fresh("livedst")) {
            UnifiedStorage source = sourceStore.open();
            UnifiedStorage target = targetStore.open();
            for (int i = 0; i < 40; i++) {
                source.dlq().add(DLQ_JOB, DlqFailure.of("item-" + i, JsonNodeFactory.instance.objectNode()
                        .put("n", i), "first failure"));
            }

            StopSignal stop = StopSignal.manual();
            ExecutorService pool = Executors.newFixedThreadPool(PROCESSES + 2);
            try {
                Future<FollowReport> follow = pool.submit(() -> new StorageMigrator(source, target)
                        .follow(FollowOptions.DEFAULT.withPollInterval(Duration.ofMillis(200)), stop));
                AtomicInteger settled = new AtomicInteger();
                CompletableFuture<Void> claimer = CompletableFuture.runAsync(() -> claimAndSettle(source, settled),
                        pool);
                List<Future<Void>> writers = new ArrayList<>();
                for (int p = 0; p < PROCESSES; p++) {
                    int writer = p;
                    writers.add(pool.submit(() -> {
                        appendInRuns(sourceStore, writer);
                        return null;
                    }));
                }
                for (Future<Void> w : writers) {
                    w.get(10, TimeUnit.MINUTES);
                }
                claimer.get(5, TimeUnit.MINUTES);
                long stopRequested = System.nanoTime();
                stop.request("writers done");
                FollowReport report = follow.get(5, TimeUnit.MINUTES);
                double stopToVerified = (System.nanoTime() - stopRequested) / 1e9;

                assertThat(report.ok()).as(report.summary()).isTrue();
                assertThat(report.conflicts()).isEmpty();
                List<EventRecord> log;
                try (Stream<EventRecord> all = target.events().query(EventFilter.forJob(JOB))) {
                    log = all.toList();
                }
                int total = PROCESSES * RUNS * PER_RUN;
                assertThat(log).extracting(EventRecord::sequence).containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
                assertThat(log).extracting(EventRecord::id).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, PROCESSES).boxed()
                                .flatMap(w -> IntStream.range(0, RUNS * PER_RUN).mapToObj(i -> "w" + w + "-" + i))
                                .toList());
                assertThat(target.events().lastSequence(JOB)).isEqualTo(total);
                List<String> left = itemIds(target);
                assertThat(left).as("DLQ items in the target after cut-over").doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(itemIds(source)).hasSize(40 - settled.get());
                assertThat(report.eventsDuringFollow()).as("events that arrived after the bulk copy")
                        .isPositive();
                System.out.printf("live migration file -> postgres: %d events (%d copied while following over %d"
                                + " passes), %d DLQ items settled in the source during the follow; lag max %d ms,"
                                + " last %d ms; cut-over %d ms; stop to verified %.1f s%n", log.size(),
                        report.eventsDuringFollow(), report.passes().size(), settled.get(),
                        report.maxLag().toMillis(), report.lastLag().toMillis(), report.cutover().toMillis(),
                        stopToVerified);
            } finally {
                stop.request("test ends");
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
        }
    }

    /** One writer process's share: {@value #RUNS} runs of the CLI, each appending {@value #PER_RUN} events. */
    private void appendInRuns(TestStore store, int writer) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("writer-" + writer));
        for (int run = 0; run < RUNS; run++) {
            int first = run * PER_RUN;
            String input = IntStream.range(first, first + PER_RUN).mapToObj(i -> "{\"id\":\"w" + writer + "-" + i
                    + "\",\"event_type\":\"step_completed\",\"agent_id\":\"writer-" + writer + "\",\"data\":{\"i\":"
                    + i + "}}").collect(Collectors.joining("\n", "", "\n"));
            CliProcess.Result r = CliProcess.start(dir, store.childEnvironment(), input, "--storage-url", store.url(),
                    "--repo", JOB.repository(), "events", "append", "--job", JOB.jobId()).await(180);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
    }

    /** Claims the DLQ job's items two at a time: every other one is fixed (removed), the rest released again. */
    private static void claimAndSettle(UnifiedStorage source, AtomicInteger settled) {
        for (int round = 0; round < 10; round++) {
            for (DlqItem item : source.dlq().claim(DLQ_JOB, "worker-1", 2, Duration.ofMinutes(1))) {
                String token = item.claim().token();
                if (Integer.parseInt(item.itemId().substring("item-".length())) % 2 == 0) {
                    assertThat(source.dlq().remove(DLQ_JOB, item.itemId(), token)).isTrue();
                    settled.incrementAndGet();
                } else {
                    source.dlq().release(DLQ_JOB, item.itemId(), token, "still failing");
                }
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<String> itemIds(UnifiedStorage storage) {
        List<String> ids = new ArrayList<>();
        storage.dlq().list(DlqFilter.forJob(DLQ_JOB), PageRequest.first(1_000)).items()
                .forEach(i -> ids.add(i.itemId()));
        return ids;
    }
}
