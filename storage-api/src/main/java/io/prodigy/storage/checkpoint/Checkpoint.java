package io.prodigy.storage.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.revision.WriteIds;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A checkpoint: the state needed to resume a workflow (spec 093 {@code WorkflowCheckpoint}) or one phase of a
 * MapReduce job.
 *
 * @param id             unique within its scope
 * @param scope          the workflow or job it belongs to
 * @param kind           workflow, or the MapReduce phase (setup, map, reduce)
 * @param formatVersion  version of the format of {@code state} (reduce checkpoints carry it in their file name)
 * @param createdAt      when the checkpoint was taken
 * @param stepIndex      index of the step (or of the phase's progress marker) the checkpoint resumes from
 * @param completedSteps indexes of steps already completed
 * @param variables      workflow variables at the checkpoint
 * @param state          everything else needed to resume, as JSON
 * @param revision       optimistic-concurrency revision: 0 before the first save
 * @param writeId        identifies the write that stored this version (see
 *                       {@link io.prodigy.storage.session.PersistedSession#writeId()})
 */
public record Checkpoint(
        String id, CheckpointScope scope, CheckpointKind kind, int formatVersion, Instant createdAt, int stepIndex,
        List<Integer> completedSteps, Map<String, String> variables, JsonNode state, long revision, String writeId) {

    public Checkpoint {
        Ids.check("checkpoint id", id);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        createdAt = InstantRange.check("checkpoint created_at", createdAt);
        if (scope.isJob() != kind.isJobKind()) {
            throw new InvalidInputException("Checkpoint '" + id + "' of kind " + kind + " cannot belong to " + scope
                    + ": workflow checkpoints belong to a workflow, SETUP/MAP/REDUCE checkpoints to a job.");
        }
        if (formatVersion < 1 || stepIndex < 0 || revision < 0) {
            throw new IllegalArgumentException("formatVersion must be >= 1, stepIndex and revision >= 0");
        }
        completedSteps = completedSteps == null ? List.of() : List.copyOf(completedSteps);
        variables = variables == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(variables));
        state = state == null ? Json.nodes().objectNode() : Json.checkStorable("checkpoint state", state);
    }

    /** A checkpoint version with a fresh {@link #writeId()}. */
    public Checkpoint(String id, CheckpointScope scope, CheckpointKind kind, int formatVersion, Instant createdAt,
            int stepIndex, List<Integer> completedSteps, Map<String, String> variables, JsonNode state,
            long revision) {
        this(id, scope, kind, formatVersion, createdAt, stepIndex, completedSteps, variables, state, revision,
                WriteIds.next());
    }

    /** A new workflow checkpoint (revision 0). */
    public static Checkpoint workflow(String id, String workflowId, Instant createdAt, int stepIndex,
            List<Integer> completedSteps, Map<String, String> variables, JsonNode state) {
        return new Checkpoint(id, CheckpointScope.workflow(workflowId), CheckpointKind.WORKFLOW, 1, createdAt,
                stepIndex, completedSteps, variables, state, 0);
    }

    /** A new MapReduce job checkpoint (revision 0). */
    public static Checkpoint job(String id, io.prodigy.storage.id.JobRef job, CheckpointKind kind, int formatVersion,
            Instant createdAt, int stepIndex, JsonNode state) {
        return new Checkpoint(id, CheckpointScope.job(job), kind, formatVersion, createdAt, stepIndex, List.of(),
                Map.of(), state, 0);
    }

    public Checkpoint withState(JsonNode newState) {
        return new Checkpoint(id, scope, kind, formatVersion, createdAt, stepIndex, completedSteps, variables,
                newState, revision);
    }

    public Checkpoint withStepIndex(int index) {
        return new Checkpoint(id, scope, kind, formatVersion, createdAt, index, completedSteps, variables, state,
                revision);
    }

    /** Used by stores: the stored copy with its new revision; the write id is kept. */
    public Checkpoint withRevision(long newRevision) {
        return new Checkpoint(id, scope, kind, formatVersion, createdAt, stepIndex, completedSteps, variables, state,
                newRevision, writeId);
    }

    /** This version under {@code id}'s write id (for copies that must stay the same write). */
    public Checkpoint withWriteId(String id) {
        return new Checkpoint(this.id, scope, kind, formatVersion, createdAt, stepIndex, completedSteps, variables,
                state, revision, id);
    }
}
