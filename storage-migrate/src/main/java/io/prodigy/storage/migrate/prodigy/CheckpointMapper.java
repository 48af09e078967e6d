package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original tool's checkpoint files to {@link Checkpoint}s. In every case the whole original document becomes the
 * checkpoint's {@code state}, unchanged, so resuming code can read every field; the checkpoint's own fields are
 * derived from it:
 * <ul>
 *   <li><b>job state</b> {@code checkpoint-v{N}.json} (§5.4): id {@code checkpoint-v{N}}, kind REDUCE once a reduce
 *       phase started, else MAP; format version {@code checkpoint_format_version}; created at {@code updated_at};
 *       step index = completed items;</li>
 *   <li><b>workflow</b> {@code {workflow_id}.checkpoint.json} (§5.7): scope = the directory it was found in (the
 *       session id, or the repository for merge-workflow checkpoints), id = {@code workflow_id}; created at
 *       {@code timestamp}; step index = {@code execution_state.current_step_index}; completed steps and
 *       {@code variable_state} (non-string values as JSON text);</li>
 *   <li><b>enhanced MapReduce</b> {@code {cp-id}.checkpoint.{json,gz}} (§5.5): id {@code metadata.checkpoint_id},
 *       kind from {@code metadata.phase}, version, created at, completed items;</li>
 *   <li><b>reduce phase</b> {@code reduce-checkpoint-v{V}-{ts}.json} (§5.6): id = file name, kind REDUCE, version V,
 *       created at {@code timestamp}, step index = {@code completed_steps}, variables.</li>
 * </ul>
 * Integrity hashes of enhanced checkpoints are kept in the state but not re-verified (two incompatible variants
 * exist, see docs/migration.md).
 */
final class CheckpointMapper {

    private static final Pattern REDUCE_NAME = Pattern.compile("reduce-checkpoint-v(\\d+)-.*\\.json");

    record Result(Checkpoint checkpoint, String skipReason) {}

    private CheckpointMapper() {}

    static Result jobState(JobRef job, int version, JsonNode doc) {
        if (!doc.isObject()) {
            return skip("not a job state object");
        }
        Optional<Instant> at = ProdigyTime.instant(doc.get("updated_at"))
                .or(() -> ProdigyTime.instant(doc.get("started_at")));
        if (at.isEmpty()) {
            return skip("no readable updated_at or started_at");
        }
        JsonNode reduce = doc.get("reduce_phase_state");
        CheckpointKind kind = reduce != null && !reduce.isNull() ? CheckpointKind.REDUCE : CheckpointKind.MAP;
        int format = Math.max(1, Nodes.count(doc, "checkpoint_format_version", 1));
        return new Result(Checkpoint.job("checkpoint-v" + version, job, kind, format, at.get(),
                doc.path("completed_agents").size(), doc), null);
    }

    /** Whether a {@code *.checkpoint.json} holds an enhanced MapReduce checkpoint rather than a workflow one. */
    static boolean isEnhanced(JsonNode doc) {
        return doc.path("metadata").has("checkpoint_id") && doc.has("work_item_state") && !doc.has("workflow_id");
    }

    static Result workflow(String scope, String fileName, JsonNode doc, boolean redactSecrets) {
        if (!doc.isObject()) {
            return skip("not a workflow checkpoint object");
        }
        if (Ids.problem(scope) != null) {
            return skip("the directory name is not a valid workflow id: " + Ids.problem(scope));
        }
        String id = Nodes.id(doc, "workflow_id");
        if (id == null) {
            String stem = Nodes.stem(Nodes.stem(fileName, ".json"), ".checkpoint");
            id = Ids.problem(stem) == null ? stem : null;
        }
        if (id == null) {
            return skip("no valid workflow_id " + doc.path("workflow_id"));
        }
        JsonNode execution = doc.path("execution_state");
        Optional<Instant> at = ProdigyTime.instant(doc.get("timestamp"))
                .or(() -> ProdigyTime.instant(execution.get("last_checkpoint")));
        if (at.isEmpty()) {
            return skip("no readable timestamp or execution_state.last_checkpoint");
        }
        List<Integer> completed = new ArrayList<>();
        for (JsonNode step : doc.path("completed_steps")) {
            if (step.path("step_index").canConvertToInt()) {
                completed.add(step.get("step_index").intValue());
            }
        }
        Map<String, String> variables = new LinkedHashMap<>();
        doc.path("variable_state").properties().forEach(e -> variables.put(e.getKey(), Nodes.asString(e.getValue())));
        JsonNode state = redactSecrets ? redactEnvironment(doc) : doc;
        return new Result(Checkpoint.workflow(id, scope, at.get(), Nodes.count(execution, "current_step_index", 0),
                completed, variables, state), null);
    }

    static Result enhanced(String repository, String jobDir, String fileName, JsonNode doc) {
        JsonNode meta = doc.path("metadata");
        String jobId = jobDir != null ? jobDir : Nodes.id(meta, "job_id");
        if (jobId == null || Ids.problem(jobId) != null) {
            return skip("no valid metadata.job_id " + meta.path("job_id"));
        }
        String id = Nodes.id(meta, "checkpoint_id");
        if (id == null) {
            String stem = fileName.substring(0, fileName.indexOf(".checkpoint."));
            id = Ids.problem(stem) == null ? stem : null;
        }
        if (id == null) {
            return skip("no valid metadata.checkpoint_id " + meta.path("checkpoint_id"));
        }
        Optional<Instant> at = ProdigyTime.instant(meta.get("created_at"));
        if (at.isEmpty()) {
            return skip("no readable metadata.created_at");
        }
        CheckpointKind kind = switch (meta.path("phase").asText()) {
            case "Setup" -> CheckpointKind.SETUP;
            case "Reduce", "Complete" -> CheckpointKind.REDUCE;
            default -> CheckpointKind.MAP;
        };
        return new Result(Checkpoint.job(id, JobRef.of(repository, jobId), kind,
                Math.max(1, Nodes.count(meta, "version", 1)), at.get(), Nodes.count(meta, "completed_items", 0), doc),
                null);
    }

    static Result reduce(JobRef job, String fileName, JsonNode doc) {
        if (!doc.isObject()) {
            return skip("not a reduce checkpoint object");
        }
        Optional<Instant> at = ProdigyTime.instant(doc.get("timestamp"));
        if (at.isEmpty()) {
            return skip("no readable timestamp");
        }
        Matcher m = REDUCE_NAME.matcher(fileName);
        int nameVersion = m.matches() && m.group(1).length() < 9 ? Integer.parseInt(m.group(1)) : 1;
        Map<String, String> variables = new LinkedHashMap<>();
        doc.path("variables").properties().forEach(e -> variables.put(e.getKey(), Nodes.asString(e.getValue())));
        return new Result(new Checkpoint(Nodes.stem(fileName, ".json"), CheckpointScope.job(job),
                CheckpointKind.REDUCE, Math.max(1, Nodes.count(doc, "version", nameVersion)), at.get(),
                Nodes.count(doc, "completed_steps", 0), List.of(), variables, doc, 0), null);
    }

    /**
     * The original tool saves the whole process environment in every workflow checkpoint (docs/migration.md).
     * With redaction on, values of secret-looking variables are replaced by {@link Redaction#MASK}.
     */
    static JsonNode redactEnvironment(JsonNode doc) {
        JsonNode vars = doc.path("variable_checkpoint_state").path("environment_snapshot").path("variables");
        if (!vars.isObject()) {
            return doc;
        }
        ObjectNode copy = doc.deepCopy();
        ObjectNode target = (ObjectNode) copy.get("variable_checkpoint_state").get("environment_snapshot")
                .get("variables");
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (Redaction.isSecretKey(name)) {
                target.put(name, Redaction.MASK);
            }
        }
        return copy;
    }

    private static Result skip(String reason) {
        return new Result(null, reason);
    }
}
