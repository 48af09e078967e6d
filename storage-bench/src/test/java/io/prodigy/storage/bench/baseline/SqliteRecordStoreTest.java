package io.prodigy.storage.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRecordStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sessionsRoundTripWithRevisions() throws Exception {
        try (SqliteRecordStore store = SqliteRecordStore.open(dir.resolve("r.db"))) {
            PersistedSession created = store.saveSession(PersistedSession.create("session-1", T0)
                    .withState(SessionState.IN_PROGRESS)
                    .withMetadata(Map.of("k", Json.nodes().textNode("v"), "n", Json.nodes().numberNode(3))));
            assertThat(created.revision()).isEqualTo(1);
            PersistedSession updated = store.saveSession(created.withProgress(2, 5));
            assertThat(updated.revision()).isEqualTo(2);
            assertThat(store.loadSession("session-1")).contains(updated);
            assertThat(store.loadSession("session-2")).isEmpty();
        }
    }

    @Test
    void staleRevisionsAndDuplicateCreatesConflictAndChangeNothing() throws Exception {
        try (SqliteRecordStore store = SqliteRecordStore.open(dir.resolve("r.db"))) {
            PersistedSession first = store.saveSession(PersistedSession.create("session-1", T0));
            PersistedSession second = store.saveSession(first.withProgress(1, 1));
            assertThatThrownBy(() -> store.saveSession(first.withProgress(9, 9)))
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.expectedRevision()).isEqualTo(1);
                        assertThat(e.actualRevision()).isEqualTo(2);
                    });
            assertThatThrownBy(() -> store.saveSession(PersistedSession.create("session-1", T0)))
                    .isInstanceOf(VersionConflictException.class);
            assertThat(store.loadSession("session-1")).contains(second);
        }
    }

    @Test
    void checkpointsRoundTrip() throws Exception {
        try (SqliteRecordStore store = SqliteRecordStore.open(dir.resolve("r.db"))) {
            var state = Json.nodes().objectNode().put("cursor", 17);
            Checkpoint cp = Checkpoint.workflow("cp-1", "wf-1", T0, 4, List.of(0, 1, 2, 3), Map.of("a", "b"), state);
            Checkpoint stored = store.saveCheckpoint(cp);
            Checkpoint again = store.saveCheckpoint(stored.withStepIndex(5));
            assertThat(again.revision()).isEqualTo(2);
            assertThat(store.loadCheckpoint(cp)).contains(again);
        }
    }
}
