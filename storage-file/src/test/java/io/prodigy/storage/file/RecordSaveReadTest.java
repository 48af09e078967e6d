package io.prodigy.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the save path's shortcuts must not change: a save checks the revision against a record read without its
 * payload (session metadata, checkpoint state), so a retried save must still return the stored record whole and a
 * stale one must still conflict; reads size their buffer from the {@code lstat} and must still see a file whole
 * whatever its size, and temp files must not be left behind.
 */
class RecordSaveReadTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path tmp;

    private FileStorage open() {
        return new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(tmp),
                new StorageContext(TestClock.at(T0), null));
    }

    @Test
    void aRetriedSessionSaveReturnsTheStoredSessionWithItsMetadata() {
        try (FileStorage store = open()) {
            PersistedSession stored = store.sessions().save(PersistedSession.create("s1", T0)
                    .withMetadata(Map.of("note", Json.nodes().textNode("first"))));
            PersistedSession update = stored.withProgress(2, 3)
                    .withMetadata(Map.of("note", Json.nodes().textNode("second"), "n", Json.nodes().numberNode(7)));

            PersistedSession first = store.sessions().save(update);
            PersistedSession retry = store.sessions().save(update); // the same write again: its reply was lost

            assertThat(retry).isEqualTo(first);
            assertThat(retry.metadata()).containsKeys("note", "n");
            assertThat(store.sessions().load("s1")).contains(first);
            assertThatThrownBy(() -> store.sessions().save(stored.withProgress(9, 9)))
                    .isInstanceOf(VersionConflictException.class);
        }
    }

    @Test
    void aRetriedCheckpointSaveReturnsTheStoredCheckpointWithItsState() {
        try (FileStorage store = open()) {
            Checkpoint created = store.checkpoints().save(Checkpoint.workflow("cp1", "wf1", T0, 1, List.of(0),
                    Map.of("k", "v"), Json.nodes().objectNode().put("step", 1)));
            Checkpoint update = created.withStepIndex(2).withState(Json.nodes().objectNode().put("step", 2));

            Checkpoint first = store.checkpoints().save(update);
            Checkpoint retry = store.checkpoints().save(update);

            assertThat(retry).isEqualTo(first);
            assertThat(retry.state().get("step").asInt()).isEqualTo(2);
            assertThat(store.checkpoints().load(created.scope(), "cp1")).contains(first);
            assertThatThrownBy(() -> store.checkpoints().save(created.withStepIndex(5)))
                    .isInstanceOf(VersionConflictException.class);
        }
    }

    @Test
    void loadsSeeEveryRecordWholeWhateverItsSizeAndLeaveNoTempFiles() throws IOException {
        try (FileStorage store = open()) {
            PersistedSession s = store.sessions().save(PersistedSession.create("s2", T0));
            // Sizes around the per-thread buffer's (16 KiB) and past it, growing and shrinking.
            for (int size : new int[] {10, 16_000, 16_384, 70_000, 5, 300_000, 100}) {
                s = store.sessions().save(s.withMetadata(Map.of("bulk", Json.nodes().textNode("x".repeat(size)))));
                assertThat(store.sessions().load("s2")).contains(s);
            }
            try (Stream<Path> files = Files.list(tmp.resolve("sessions"))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
            }
        }
    }
}
