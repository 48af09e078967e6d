package io.prodigy.storage.migrate.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;

/**
 * The comparable content of each record type: everything a migration must carry over, without the fields the target
 * store manages itself. Two records are "the same" for migration, re-import and verification exactly when their
 * canonical texts are equal.
 *
 * <p>Left out, and why:
 * <ul>
 *   <li>{@code revision}: every store numbers its own writes; a copied record starts again at 1.</li>
 *   <li>{@code updated_at} of sessions and workflow definitions: stores stamp it on every write with their clock.</li>
 *   <li>a DLQ item's {@code claim}: a claim is a lease of a running worker, like a lock, and is never copied.</li>
 *   <li>{@code write_id} of versioned records and {@code failure_id} of DLQ failures: idempotency keys of the writes
 *       that stored them (a copy is a new write), not content.</li>
 * </ul>
 */
public final class RecordDigests {

    private RecordDigests() {}

    public static ObjectNode content(PersistedSession s) {
        ObjectNode node = tree(s);
        node.remove("revision");
        node.remove("updated_at");
        node.remove("write_id");
        return node;
    }

    public static ObjectNode content(WorkflowDefinition w) {
        ObjectNode node = tree(w);
        node.remove("revision");
        node.remove("updated_at");
        node.remove("write_id");
        return node;
    }

    public static ObjectNode content(WorkflowExecution e) {
        return tree(e);
    }

    public static ObjectNode content(Checkpoint c) {
        ObjectNode node = tree(c);
        node.remove("revision");
        node.remove("write_id");
        // Written by hand: the shared mapper turns CheckpointScope.isJob() into a boolean "job" property that hides
        // the JobRef, so the scope of a job checkpoint would not be part of its content.
        node.set("scope", scope(c.scope()));
        return node;
    }

    /** A checkpoint scope as JSON: {@code {"workflow_id":…}} or {@code {"job":{"repository":…,"job_id":…}}}. */
    public static ObjectNode scope(CheckpointScope scope) {
        ObjectNode node = Json.nodes().objectNode();
        if (scope.isJob()) {
            node.putObject("job").put("repository", scope.job().repository()).put("job_id", scope.job().jobId());
        } else {
            node.put("workflow_id", scope.workflowId());
        }
        return node;
    }

    public static ObjectNode content(DlqItem item) {
        ObjectNode node = tree(item);
        node.remove("claim");
        if (node.get("failure_history") instanceof ArrayNode history) {
            history.forEach(f -> ((ObjectNode) f).remove("failure_id"));
        }
        return node;
    }

    /** One failure of a DLQ item's history, without its failure id. */
    public static ObjectNode content(FailureRecord failure) {
        ObjectNode node = tree(failure);
        node.remove("failure_id");
        return node;
    }

    /** An event's content including its sequence (the job is implied by where it is read from). */
    public static ObjectNode content(EventRecord e) {
        ObjectNode node = tree(e);
        node.remove("job");
        return node;
    }

    /** The content {@code event} will have once stored at {@code sequence}; equal to {@link #content(EventRecord)}. */
    public static ObjectNode content(long sequence, NewEvent event) {
        ObjectNode node = tree(event);
        node.put("sequence", sequence);
        return node;
    }

    public static String hash(PersistedSession s) {
        return CanonicalJson.sha256(content(s));
    }

    public static String hash(WorkflowDefinition w) {
        return CanonicalJson.sha256(content(w));
    }

    public static String hash(WorkflowExecution e) {
        return CanonicalJson.sha256(content(e));
    }

    public static String hash(Checkpoint c) {
        return CanonicalJson.sha256(content(c));
    }

    public static String hash(DlqItem item) {
        return CanonicalJson.sha256(content(item));
    }

    public static boolean same(PersistedSession a, PersistedSession b) {
        return canonical(content(a)).equals(canonical(content(b)));
    }

    public static boolean same(WorkflowDefinition a, WorkflowDefinition b) {
        return canonical(content(a)).equals(canonical(content(b)));
    }

    public static boolean same(WorkflowExecution a, WorkflowExecution b) {
        return canonical(content(a)).equals(canonical(content(b)));
    }

    public static boolean same(Checkpoint a, Checkpoint b) {
        return canonical(content(a)).equals(canonical(content(b)));
    }

    public static boolean same(DlqItem a, DlqItem b) {
        return canonical(content(a)).equals(canonical(content(b)));
    }

    /** Whether {@code stored} holds exactly {@code event} at {@code sequence}. */
    public static boolean same(long sequence, NewEvent event, EventRecord stored) {
        return canonical(content(sequence, event)).equals(canonical(content(stored)));
    }

    /** Canonical text of any content tree. */
    public static String canonical(JsonNode content) {
        return CanonicalJson.write(content);
    }

    private static ObjectNode tree(Object record) {
        return Json.mapper().valueToTree(record);
    }
}
