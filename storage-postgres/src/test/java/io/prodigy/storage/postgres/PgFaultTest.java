package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backend connections killed with {@code pg_terminate_backend} in a loop while two threads append and two claim:
 * afterwards every acknowledged append is present exactly once with gap-free sequences, every DLQ item was removed
 * once and never under two live claims, and callers saw only retryable errors or success.
 */
class PgFaultTest {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    private static final int ITEMS = 300;

    @Test
    void killedConnectionsLoseNoAcknowledgedWriteAndNoItemIsClaimedTwice() throws Exception {
        UnifiedStorage s = PG.open(StorageContext.withoutProject());
        JobRef job = JobRef.of("fault-repo", "events");
        JobRef queue = JobRef.of("fault-repo", "queue");
        for (int i = 0; i < ITEMS; i++) {
            s.dlq().add(queue, DlqFailure.of(String.format("item-%03d", i), Json.nodes().objectNode(), "boom"));
        }
        Workload w = new Workload();
        AtomicBoolean killing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
            while (killing.get()) {
                kills.addAndGet(terminateStorageBackends());
                Workload.sleep(40);
            }
        });
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            String prefix = "t" + t;
            workers.add(CompletableFuture.runAsync(() -> w.append(s, job, prefix, 150, 10)));
            String worker = "claimer-" + t;
            workers.add(CompletableFuture.runAsync(() -> w.drain(s, queue, worker, ITEMS, Duration.ofSeconds(10))));
        }
        try {
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
        } finally {
            killing.set(false);
            killer.get(10, TimeUnit.SECONDS);
        }

        assertThat(w.fatal).as("non-retryable errors callers saw").isEmpty();
        assertThat(kills.get()).as("backends terminated").isGreaterThan(10);
        assertThat(w.retryable.get()).as("retryable errors callers saw (the faults reached them)").isPositive();

        List<EventRecord> events = w.retrying(() -> {
            try (Stream<EventRecord> stream = s.events().query(EventFilter.forJob(job))) {
                return stream.toList();
            }
        });
        Set<String> stored = events.stream().map(EventRecord::id).collect(Collectors.toSet());
        assertThat(stored).as("every acknowledged event").containsAll(w.acknowledged);
        assertThat(events).as("each id once").hasSize(stored.size());
        assertThat(events.stream().mapToLong(EventRecord::sequence).toArray()).as("gap-free sequences")
                .containsExactly(java.util.stream.LongStream.rangeClosed(1, events.size()).toArray());
        assertThat(stored).as("nothing but what was sent").hasSize(2 * 150 * 10);

        assertThat(w.removed).as("every item removed").hasSize(ITEMS);
        assertThat(w.retrying(() -> s.dlq().list(DlqFilter.forJob(queue)))).isEmpty();
        Map<String, List<Workload.Claim>> byItem = w.claims.stream()
                .collect(Collectors.groupingBy(Workload.Claim::item));
        byItem.forEach((item, claims) -> {
            List<Workload.Claim> ordered = new ArrayList<>(claims);
            ordered.sort(Comparator.comparing(Workload.Claim::from));
            for (int i = 1; i < ordered.size(); i++) {
                assertThat(ordered.get(i).from()).as("claims of %s do not overlap", item)
                        .isAfterOrEqualTo(ordered.get(i - 1).to());
            }
        });
        System.out.printf("fault test: %d backends killed, %d retryable errors (%d outcome unknown), %d claims for"
                + " %d items, %d events stored%n", kills.get(), w.retryable.get(), w.unknownOutcome.get(),
                w.claims.size(), new HashSet<>(byItem.keySet()).size(), events.size());
    }

    /**
     * Terminates every backend of this class's pool and listener: those named {@link PgSchema#applicationName()},
     * so other runs on the same server keep theirs.
     */
    private static int terminateStorageBackends() {
        try (Connection c = PgTestServer.get().connect();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE application_name = ?"
                        + " AND datname = current_database() AND pid <> pg_backend_pid()")) {
            ps.setString(1, PG.applicationName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }
}
