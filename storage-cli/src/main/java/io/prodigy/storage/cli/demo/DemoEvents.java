package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.util.Map;
import java.util.UUID;

/**
 * The events the demo writes. Types and fields follow the original tool's MapReduce events (job_started,
 * agent_started, agent_completed, agent_failed, agent_retrying, checkpoint_created, job_resumed, dlq_item_added, …),
 * so that what the demo leaves behind looks like a real run. One correlation id per simulated process: the run before
 * the crash and the run after the resume have different ones, as two processes would.
 */
final class DemoEvents {

    static final String JOB_STARTED = "job_started";
    static final String AGENT_STARTED = "agent_started";
    static final String AGENT_PROGRESS = "agent_progress";
    static final String AGENT_COMPLETED = "agent_completed";
    static final String AGENT_FAILED = "agent_failed";
    static final String AGENT_RETRYING = "agent_retrying";
    static final String DLQ_ITEM_ADDED = "dlq_item_added";
    static final String CHECKPOINT_CREATED = "checkpoint_created";
    static final String CHECKPOINT_LOADED = "checkpoint_loaded";
    static final String JOB_RESUMED = "job_resumed";
    static final String REDUCE_STARTED = "reduce_started";
    static final String REDUCE_COMPLETED = "reduce_completed";
    static final String DLQ_ITEMS_REPROCESSED = "dlq_items_reprocessed";
    static final String JOB_COMPLETED = "job_completed";

    private final String jobId;
    private final String correlationId;

    DemoEvents(String jobId) {
        this(jobId, UUID.randomUUID().toString());
    }

    private DemoEvents(String jobId, String correlationId) {
        this.jobId = jobId;
        this.correlationId = correlationId;
    }

    /** The events of the next simulated process (after a restart). */
    DemoEvents nextProcess() {
        return new DemoEvents(jobId, UUID.randomUUID().toString());
    }

    String correlationId() {
        return correlationId;
    }

    NewEvent jobStarted(int totalItems, int agents) {
        ObjectNode config = Json.nodes().objectNode();
        config.put("input", "corpus/*.txt");
        config.put("max_parallel", agents);
        config.put("continue_on_failure", true);
        config.put("enable_checkpoints", true);
        return event(JOB_STARTED, null, data().put("total_items", totalItems).set("config", config));
    }

    NewEvent agentStarted(String agent, String item, int attempt) {
        return event(AGENT_STARTED, agent, data().put("agent_id", agent).put("item_id", item)
                .put("worktree", "mapreduce-" + agent + "-" + item).put("attempt", attempt));
    }

    NewEvent agentProgress(String agent, String item, String step, int pct) {
        return event(AGENT_PROGRESS, agent, data().put("agent_id", agent).put("item_id", item).put("step", step)
                .put("progress_pct", pct));
    }

    NewEvent agentCompleted(String agent, String item, long millis, JsonNode output) {
        ObjectNode d = data().put("agent_id", agent).put("item_id", item).put("duration_ms", millis);
        d.putArray("commits").add(Integer.toHexString((item + agent).hashCode()) + "c0ffee");
        d.set("output", output);
        return event(AGENT_COMPLETED, agent, d);
    }

    NewEvent agentFailed(String agent, String item, String error, boolean retryEligible) {
        return event(AGENT_FAILED, agent, data().put("agent_id", agent).put("item_id", item).put("error", error)
                .put("retry_eligible", retryEligible));
    }

    NewEvent agentRetrying(String agent, String item, int attempt, long backoffMillis) {
        return event(AGENT_RETRYING, agent, data().put("agent_id", agent).put("item_id", item).put("attempt", attempt)
                .put("backoff_ms", backoffMillis));
    }

    NewEvent dlqItemAdded(String agent, String item, String error, int failures) {
        return event(DLQ_ITEM_ADDED, agent, data().put("item_id", item)
                .put("error_signature", error.replaceAll("[0-9]+", "N")).put("failure_count", failures));
    }

    NewEvent checkpointCreated(String checkpointId, int version, int itemsDone) {
        return event(CHECKPOINT_CREATED, null, data().put("checkpoint_id", checkpointId).put("version", version)
                .put("agents_completed", itemsDone));
    }

    NewEvent checkpointLoaded(String checkpointId, int version) {
        return event(CHECKPOINT_LOADED, null, data().put("checkpoint_id", checkpointId).put("version", version));
    }

    NewEvent jobResumed(int checkpointVersion, int pending, int replayed) {
        return event(JOB_RESUMED, null, data().put("checkpoint_version", checkpointVersion)
                .put("pending_items", pending).put("recovered_from_event_log", replayed));
    }

    NewEvent reduceStarted(long fencingToken, int inputs) {
        return event(REDUCE_STARTED, null, data().put("fencing_token", fencingToken).put("inputs", inputs));
    }

    NewEvent reduceCompleted(Map<String, Object> result) {
        return event(REDUCE_COMPLETED, null, Json.mapper().valueToTree(result));
    }

    NewEvent dlqItemsReprocessed(int claimed, int fixed) {
        return event(DLQ_ITEMS_REPROCESSED, "dlq-reprocessor", data().put("count", claimed).put("fixed", fixed));
    }

    NewEvent jobCompleted(long millis, int succeeded, int failed) {
        return event(JOB_COMPLETED, null, data().put("duration_ms", millis).put("success_count", succeeded)
                .put("failure_count", failed));
    }

    private ObjectNode data() {
        return Json.nodes().objectNode().put("job_id", jobId);
    }

    private NewEvent event(String type, String agent, JsonNode data) {
        return new NewEvent(UUID.randomUUID().toString(), null, type, data, correlationId, agent);
    }
}
