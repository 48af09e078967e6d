package io.prodigy.storage.migrate.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.migrate.testing.ProdigyTrees;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.session.SessionFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes opening the global store at once for the same project: each thread has its own file-backend instance
 * over the same base directory (so they only share the files, as two processes would). Exactly one migrates; the
 * other waits for the lock, finds nothing left, and does nothing.
 */
class ConcurrentLegacyMigrationTest {

    @TempDir
    Path tmp;

    @RepeatedTest(3)
    void onlyOneOfTwoConcurrentMigrationsMigrates() throws Exception {
        Path project = tmp.resolve("proj");
        Path store = tmp.resolve("store");
        ProdigyTrees.writeLegacyProject(project);
        LegacyMigrationOptions options = LegacyMigrationOptions.of(store.resolve("backups"))
                .withLock(Duration.ofSeconds(30), Duration.ofSeconds(60));
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<UnifiedStorage> stores = List.of(Stores.file(store), Stores.file(store));
        try {
            List<Future<LegacyMigrationReport>> results = new ArrayList<>();
            for (UnifiedStorage s : stores) {
                results.add(pool.submit(() -> {
                    start.await();
                    return LegacyMigration.migrate(project, s, options);
                }));
            }
            List<LegacyMigrationReport.Outcome> outcomes = new ArrayList<>();
            for (Future<LegacyMigrationReport> f : results) {
                outcomes.add(f.get(2, TimeUnit.MINUTES).outcome());
            }

            assertThat(outcomes).containsExactlyInAnyOrder(LegacyMigrationReport.Outcome.MIGRATED,
                    LegacyMigrationReport.Outcome.NOTHING_TO_MIGRATE);
            try (UnifiedStorage check = Stores.file(store)) {
                assertThat(check.sessions().list(SessionFilter.ALL)).hasSize(2);
                assertThat(LegacyMigrationTest.countEvents(check)).isEqualTo(5);
                assertThat(check.locks().list()).isEmpty();
            }
            assertThat(LegacyMigrationTest.migratedDirs(project)).hasSize(1);
        } finally {
            pool.shutdownNow();
            stores.forEach(UnifiedStorage::close);
        }
    }
}
