package io.prodigy.storage.migrate.prodigy;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.testing.ProdigyDocuments;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionMapperTest {

    @ParameterizedTest
    @CsvSource({"Initializing, INITIALIZING", "Running, IN_PROGRESS", "Paused, PAUSED", "Completed, COMPLETED",
        "Failed, FAILED", "Cancelled, CANCELLED"})
    void everyUnifiedStatus(String status, SessionState expected) throws Exception {
        var doc = Json.mapper().readTree(ProdigyDocuments.MAPREDUCE_SESSION_JSON.replace("\"Running\"",
                "\"" + status + "\""));

        assertThat(SessionMapper.unified(doc, "x").session().state()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"InProgress, IN_PROGRESS", "Completed, COMPLETED", "Failed, FAILED", "Interrupted, PAUSED"})
    void everyLegacyStatus(String status, SessionState expected) throws Exception {
        var doc = Json.mapper().readTree(ProdigyDocuments.LEGACY_SESSION_STATE.replace("\"Interrupted\"",
                "\"" + status + "\""));

        assertThat(SessionMapper.legacy(doc, "session_state", "proj", "session_state.json").session().state())
                .isEqualTo(expected);
    }

    @Test
    void unknownStatusIsSkipped() throws Exception {
        var doc = Json.mapper().readTree(ProdigyDocuments.MAPREDUCE_SESSION_JSON.replace("\"Running\"", "\"Zombie\""));

        assertThat(SessionMapper.unified(doc, "x").skipReason()).isEqualTo("unknown session status \"Zombie\"");
    }

    @Test
    void legacySessionIsMappedAsTheOriginalMigrationDidAndKeepsTheWholeDocument() throws Exception {
        var doc = Json.mapper().readTree(ProdigyDocuments.LEGACY_SESSION_STATE);

        PersistedSession s = SessionMapper.legacy(doc, "session_state", "proj", "session_state.json").session();

        assertThat(s.id()).isEqualTo("cook-3f2a");
        assertThat(s.startedAt()).isEqualTo(Instant.parse("2024-12-01T09:00:00Z"));
        assertThat(s.iterationsCompleted()).isEqualTo(2);
        assertThat(s.filesChanged()).isEqualTo(3);
        assertThat(s.metadata().get("started_by").textValue()).isEqualTo("migrated");
        assertThat(s.metadata().get("tags").get(0).textValue()).isEqualTo("migrated");
        assertThat(s.metadata().get("project_name").textValue()).isEqualTo("proj");
        assertThat(s.metadata().get("legacy_session_id").textValue()).isEqualTo("cook-3f2a");
        assertThat(s.metadata().get("_prodigy")).isEqualTo(doc);
    }

    @Test
    void originalMetadataKeyNamedLikeTheExtraKeyIsKept() throws Exception {
        var doc = Json.mapper().readTree(ProdigyDocuments.MAPREDUCE_SESSION_JSON.replace("\"metadata\": {}",
                "\"metadata\": {\"_prodigy\": \"mine\"}"));

        PersistedSession s = SessionMapper.unified(doc, "x").session();

        assertThat(s.metadata().get("_prodigy").textValue()).isEqualTo("mine");
        assertThat(s.metadata().get("_prodigy_import").path("session_type").textValue()).isEqualTo("Workflow");
    }
}
