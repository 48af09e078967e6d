package io.prodigy.storage.migrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.copy.CopyOptions;
import io.prodigy.storage.migrate.copy.CopyReport;
import io.prodigy.storage.migrate.copy.StorageMigrator;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The copy and the verification walk listings longer than one page, and find logs only the target has. */
class PagedVerificationTest {

    private final UnifiedStorage source = Stores.memory();
    private final UnifiedStorage target = Stores.memory();

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    @Test
    void listingsLongerThanAPageAreCopiedAndVerifiedWhole() {
        int sessions = PageRequest.MAX_LIMIT * 2 + 7;
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < sessions; i++) {
            source.sessions().save(PersistedSession.create("s-" + i, t.plusSeconds(i % 10)));
        }
        JobRef job = JobRef.of("repo", "job");
        int items = PageRequest.MAX_LIMIT + 3;
        for (int i = 0; i < items; i++) {
            source.dlq().add(job, DlqFailure.of("item-" + i, null, "boom").withAt(t.plusSeconds(i % 3)));
        }

        CopyReport report = new StorageMigrator(source, target).copy(CopyOptions.DEFAULT);

        assertThat(report.counts(RecordType.SESSION).total()).isEqualTo(sessions);
        assertThat(report.counts(RecordType.SESSION).copied()).isEqualTo(sessions);
        assertThat(report.counts(RecordType.DLQ_ITEM).copied()).isEqualTo(items);
        assertThat(report.verification().ok()).isTrue();
        assertThat(target.sessions().list(null)).hasSize(sessions);
    }

    @Test
    void eventLogsOnlyTheTargetHasAreNotedWhereverTheyFallInTheOrder() {
        for (String id : List.of("a", "c")) {
            source.events().append(JobRef.of("r", id), List.of(NewEvent.of("x", null)));
        }
        for (String id : List.of("0", "a", "b", "c", "d")) {
            target.events().append(JobRef.of("r", id), List.of(NewEvent.of("x", null)));
        }
        VerificationReport report = StorageVerifier.compare(source, target);

        assertThat(report.notes()).filteredOn(n -> n.contains("event log"))
                .containsExactlyInAnyOrder(
                        "the target has an event log for r/0, which the source does not have",
                        "the target has an event log for r/b, which the source does not have",
                        "the target has an event log for r/d, which the source does not have");
    }
}
