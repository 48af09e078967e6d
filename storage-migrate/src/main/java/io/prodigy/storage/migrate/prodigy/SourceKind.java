package io.prodigy.storage.migrate.prodigy;

import java.util.Locale;

/** The kinds of record the original tool writes, as the import report counts them. */
public enum SourceKind {
    /** {@code sessions/{id}.json} — UnifiedSession. */
    SESSION,
    /** {@code .prodigy/session_*.json}, {@code .prodigy/session_state.json} — pre-unified session state. */
    LEGACY_SESSION,
    /** One line of an event file. */
    EVENT,
    /** One DeadLetteredItem, whichever of the path variants it was found in. */
    DLQ_ITEM,
    /** {@code checkpoint-v{N}.json} — MapReduce job state (the highest N of a job is imported). */
    JOB_STATE,
    /** {@code {workflow_id}.checkpoint.json} — workflow checkpoint. */
    WORKFLOW_CHECKPOINT,
    /** {@code {cp-id}.checkpoint.{json,gz}} — enhanced MapReduce checkpoint. */
    MAPREDUCE_CHECKPOINT,
    /** {@code state/reduce_checkpoints/{job}/reduce-checkpoint-v{V}-{ts}.json}. */
    REDUCE_CHECKPOINT,
    /** One entry of {@code orphaned_worktrees/{repo}/{job}.json}. */
    ORPHANED_WORKTREE,
    /** {@code resume_locks/{id}.lock} — reported, never imported. */
    RESUME_LOCK,
    /** A file the importer does not recognise, or a format it does not import. */
    OTHER_FILE;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
