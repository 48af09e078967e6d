package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions of the original tool to {@link PersistedSession}s.
 *
 * <p><b>UnifiedSession</b> ({@code sessions/{id}.json}, see docs/migration.md): id, status, start time and metadata map
 * directly; iterations, files changed and worktree name come from {@code workflow_data}. Every other field
 * ({@code session_type}, {@code updated_at}, {@code completed_at}, {@code checkpoints}, {@code timings},
 * {@code error}, {@code workflow_data}, {@code mapreduce_data}, unknown ones) is kept as is in the metadata entry
 * {@value #EXTRA_KEY}, so the original document can be rebuilt. ({@code updated_at} is kept there because stores stamp
 * their own.)
 *
 * <p><b>Legacy sessions</b> ({@code .prodigy/session_*.json}, {@code session_state.json}): mapped as the original
 * tool's own migration did (Workflow sessions, metadata {@code started_by: "migrated"}, {@code tags: ["migrated"]},
 * {@code legacy_session_id}, {@code project_name}), with the whole original document under {@value #EXTRA_KEY}.
 */
final class SessionMapper {

    /** Metadata key holding the original fields that have no place in a {@link PersistedSession}. */
    static final String EXTRA_KEY = "_prodigy";

    private static final Set<String> MAPPED_FIELDS = Set.of("id", "status", "started_at", "metadata");

    /** The mapped session, or why the file cannot be imported. */
    record Result(PersistedSession session, String skipReason) {}

    private SessionMapper() {}

    static Result unified(JsonNode doc, String fileStem) {
        if (!doc.isObject()) {
            return skip("not a session object");
        }
        String id = Nodes.id(doc, "id");
        if (id == null) {
            id = Ids.problem(fileStem) == null ? fileStem : null;
        }
        if (id == null) {
            return skip("no valid session id in the file or its name");
        }
        SessionState state = unifiedState(Nodes.text(doc, "status"));
        if (state == null) {
            return skip("unknown session status " + doc.path("status"));
        }
        Optional<Instant> started = ProdigyTime.instant(doc.get("started_at"));
        if (started.isEmpty()) {
            return skip("missing or unreadable started_at " + doc.path("started_at"));
        }
        JsonNode workflow = doc.path("workflow_data");
        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        doc.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue()));
        ObjectNode extra = Json.nodes().objectNode();
        for (Map.Entry<String, JsonNode> field : doc.properties()) {
            if (!MAPPED_FIELDS.contains(field.getKey())) {
                extra.set(field.getKey(), field.getValue());
            }
        }
        metadata.put(extraKey(metadata), extra);
        Instant updated = ProdigyTime.instant(doc.get("updated_at")).orElse(started.get());
        return new Result(new PersistedSession(id, state, started.get(), updated,
                Nodes.count(workflow, "iterations_completed", 0), Nodes.count(workflow, "files_changed", 0),
                Nodes.text(workflow, "worktree_name"), metadata, 0), null);
    }

    static Result legacy(JsonNode doc, String fileStem, String repository, String fileName) {
        if (!doc.isObject()) {
            return skip("not a session object");
        }
        String id = Nodes.id(doc, "session_id");
        if (id == null) {
            id = Ids.problem(fileStem) == null ? fileStem : null;
        }
        if (id == null) {
            return skip("no valid session id in the file or its name");
        }
        SessionState state = legacyState(Nodes.text(doc, "status"));
        if (state == null) {
            return skip("unknown legacy session status " + doc.path("status"));
        }
        Optional<Instant> started = ProdigyTime.instant(doc.get("started_at"));
        if (started.isEmpty()) {
            return skip("missing or unreadable started_at " + doc.path("started_at"));
        }
        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        metadata.put("project_name", Json.nodes().textNode(repository));
        metadata.put("started_by", Json.nodes().textNode("migrated"));
        metadata.put("tags", Json.nodes().arrayNode().add("migrated"));
        metadata.put("description", Json.nodes().textNode("Migrated from .prodigy/" + fileName));
        metadata.put("legacy_session_id", Json.nodes().textNode(id));
        metadata.put(EXTRA_KEY, doc);
        Instant ended = ProdigyTime.instant(doc.get("ended_at")).orElse(started.get());
        return new Result(new PersistedSession(id, state, started.get(), ended,
                Nodes.count(doc, "iterations_completed", 0), Nodes.count(doc, "files_changed", 0),
                Nodes.text(doc, "worktree_name"), metadata, 0), null);
    }

    /** {@value #EXTRA_KEY}, or {@code _prodigy_import} if the original metadata already uses that key. */
    private static String extraKey(Map<String, JsonNode> metadata) {
        return metadata.containsKey(EXTRA_KEY) ? EXTRA_KEY + "_import" : EXTRA_KEY;
    }

    static SessionState unifiedState(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "Initializing" -> SessionState.INITIALIZING;
            case "Running" -> SessionState.IN_PROGRESS;
            case "Paused" -> SessionState.PAUSED;
            case "Completed" -> SessionState.COMPLETED;
            case "Failed" -> SessionState.FAILED;
            case "Cancelled" -> SessionState.CANCELLED;
            default -> null;
        };
    }

    /** Cook statuses; Interrupted maps to Paused as in the original tool's Cook↔unified mapping (docs/migration.md). */
    static SessionState legacyState(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "InProgress" -> SessionState.IN_PROGRESS;
            case "Completed" -> SessionState.COMPLETED;
            case "Failed" -> SessionState.FAILED;
            case "Interrupted" -> SessionState.PAUSED;
            default -> null;
        };
    }

    private static Result skip(String reason) {
        return new Result(null, reason);
    }
}
