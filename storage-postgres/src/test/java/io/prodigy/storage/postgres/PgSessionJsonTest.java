package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session metadata is parsed from the bytes pgjdbc received for the jsonb column ({@code Rows.json}): non-ASCII text
 * must come back intact, also once the statements are server-prepared (pgjdbc's 5th use on a connection, when result
 * columns may switch to binary transfer).
 */
class PgSessionJsonTest {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    private UnifiedStorage storage;

    @BeforeEach
    void open() {
        storage = PG.open(StorageContext.system());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void nonAsciiMetadataSurvivesManySavesAndLoads() {
        Map<String, JsonNode> metadata = Map.of("text", Json.nodes().textNode("héllo ✓ 日本 😀"),
                "zeta", Json.nodes().numberNode(3), "alpha", Json.nodes().arrayNode().add("ä").add(true));
        PersistedSession session = storage.sessions().save(PersistedSession.create("s-json", Instant.now())
                .withMetadata(metadata));
        for (int i = 0; i < 12; i++) {
            session = storage.sessions().save(session.withState(i % 2 == 0 ? SessionState.IN_PROGRESS
                    : SessionState.PAUSED));
            PersistedSession loaded = storage.sessions().load("s-json").orElseThrow();
            assertThat(loaded.metadata()).isEqualTo(metadata);
            assertThat(loaded.metadata().keySet()).containsExactly("alpha", "text", "zeta");
            assertThat(loaded.revision()).isEqualTo(session.revision());
        }
    }
}
