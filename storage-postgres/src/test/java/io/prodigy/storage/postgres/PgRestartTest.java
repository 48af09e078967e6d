package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.id.JobRef;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server restarted in the middle of a workload: callers get retryable "unavailable" errors while it is down, the
 * pool recovers by itself afterwards, and nothing acknowledged is lost. Restarting the server is not something every
 * test run may do, so it runs only when {@code PRODIGY_IT_POSTGRES_RESTART} holds the command that restarts it (for
 * example {@code pg_ctlcluster 15 main restart}); docs/postgres.md gives the manual check otherwise.
 */
class PgRestartTest {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    @Test
    void aServerRestartMidWorkloadLosesNothingAcknowledged() throws Exception {
        String restart = System.getenv("PRODIGY_IT_POSTGRES_RESTART");
        Assumptions.assumeTrue(restart != null && !restart.isBlank(),
                "Skipped: set PRODIGY_IT_POSTGRES_RESTART to the command that restarts the test server");
        UnifiedStorage s = PG.open(StorageContext.withoutProject());
        JobRef job = JobRef.of("restart-repo", "events");
        Workload w = new Workload();
        CompletableFuture<Void> appender = CompletableFuture.runAsync(() -> w.append(s, job, "r", 400, 10));
        Workload.sleep(300);
        Process p = new ProcessBuilder("sh", "-c", restart).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code of '%s'", restart).isZero();
        appender.get(120, TimeUnit.SECONDS);

        assertThat(w.fatal).as("non-retryable errors").isEmpty();
        List<EventRecord> events;
        try (Stream<EventRecord> stream = s.events().query(EventFilter.forJob(job))) {
            events = stream.toList();
        }
        Set<String> ids = events.stream().map(EventRecord::id).collect(Collectors.toSet());
        assertThat(ids).containsAll(w.acknowledged).hasSize(4_000);
        assertThat(events).hasSize(4_000);
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
        System.out.printf("restart test: %d retryable errors (%d outcome unknown) while the server restarted%n",
                w.retryable.get(), w.unknownOutcome.get());
    }
}
