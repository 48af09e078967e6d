package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Appends notify only while another process has subscribers: two clients on one schema stand for two processes.
 * The waits below are liveness bounds (the listener's rounds are 500 ms), not timings under test.
 */
class PgNotificationsTest {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void appendsNotifyWhileAnotherProcessHasSubscribersAndStopWhenItHasNone() throws Exception {
        Notifications mine = PG.client().notifications();
        JobRef job = JobRef.of("notify", "job-1");
        try (PgClient other = PgClient.open(PostgresConfig.bind(PG.backendConfig()), 2, Duration.ofSeconds(30));
                UnifiedStorage theirs = new PostgresStorage(other, false, StorageContext.system());
                UnifiedStorage ours = PG.open(StorageContext.system())) {
            assertThat(eventually(() -> !mine.othersListen()))
                    .as("nobody subscribes yet: appends leave pg_notify out").isTrue();

            List<EventRecord> seen = new CopyOnWriteArrayList<>();
            EventSubscription subscription = theirs.events().subscribe(EventFilter.forJob(job), 0, seen::add);
            assertThat(eventually(mine::othersListen)).as("the other process advertises its subscriber").isTrue();
            assertThat(other.notifications().othersListen())
                    .as("a process does not notify for its own subscribers (it signals them directly)").isFalse();

            ours.events().append(job, List.of(NewEvent.of("started", null)));
            assertThat(eventually(() -> seen.size() == 1)).as("the subscriber got the event").isTrue();

            subscription.close();
            assertThat(eventually(() -> !mine.othersListen())).as("no subscriber left: no more pg_notify").isTrue();
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
