package io.prodigy.storage.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.revision.WriteIds;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A session as stored (spec 093 {@code PersistedSession}). Sessions are global: they are not scoped to a repository.
 *
 * @param id                  the session id ({@code session-<uuid>} or {@code workflow-<ms>} in the original tool)
 * @param state               life-cycle state
 * @param startedAt           when the session started
 * @param updatedAt           when it was last changed; stores set it on every write
 * @param iterationsCompleted how many iterations have finished
 * @param filesChanged        how many files the session changed
 * @param worktreeName        the git worktree the session runs in, or {@code null}
 * @param metadata            free-form metadata; values are JSON so imported fields keep their type
 * @param revision            optimistic-concurrency revision: 0 for a record not yet stored, then 1, 2, … as stored
 * @param writeId             identifies the write that stored this version, so a save retried after a lost reply is
 *                            recognised ({@link io.prodigy.storage.support.revision.Revisions}); every new version a
 *                            caller builds (a constructor without it, or a {@code with…} method) gets a fresh one,
 *                            and the store keeps it; {@code null} for versions stored before write ids existed
 */
public record PersistedSession(
        String id,
        SessionState state,
        Instant startedAt,
        Instant updatedAt,
        int iterationsCompleted,
        int filesChanged,
        String worktreeName,
        Map<String, JsonNode> metadata,
        long revision,
        String writeId) {

    public PersistedSession {
        Ids.check("session id", id);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        updatedAt = updatedAt == null ? startedAt : updatedAt;
        startedAt = InstantRange.check("session started_at", startedAt);
        updatedAt = InstantRange.check("session updated_at", updatedAt);
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
        if (iterationsCompleted < 0 || filesChanged < 0 || revision < 0) {
            throw new IllegalArgumentException("counts and revision must not be negative");
        }
    }

    /** A session version with a fresh {@link #writeId()}. */
    public PersistedSession(String id, SessionState state, Instant startedAt, Instant updatedAt,
            int iterationsCompleted, int filesChanged, String worktreeName, Map<String, JsonNode> metadata,
            long revision) {
        this(id, state, startedAt, updatedAt, iterationsCompleted, filesChanged, worktreeName, metadata, revision,
                WriteIds.next());
    }

    /** A new, not yet stored session ({@code revision} 0) in state {@link SessionState#INITIALIZING}. */
    public static PersistedSession create(String id, Instant startedAt) {
        return new PersistedSession(id, SessionState.INITIALIZING, startedAt, startedAt, 0, 0, null, Map.of(), 0);
    }

    public PersistedSession withState(SessionState newState) {
        return new PersistedSession(id, newState, startedAt, updatedAt, iterationsCompleted, filesChanged,
                worktreeName, metadata, revision);
    }

    public PersistedSession withProgress(int iterations, int files) {
        return new PersistedSession(id, state, startedAt, updatedAt, iterations, files, worktreeName, metadata,
                revision);
    }

    public PersistedSession withWorktreeName(String name) {
        return new PersistedSession(id, state, startedAt, updatedAt, iterationsCompleted, filesChanged, name,
                metadata, revision);
    }

    public PersistedSession withMetadata(Map<String, JsonNode> newMetadata) {
        return new PersistedSession(id, state, startedAt, updatedAt, iterationsCompleted, filesChanged, worktreeName,
                newMetadata, revision);
    }

    /** Used by stores: the stored copy with its new revision and update time; the write id is kept. */
    public PersistedSession stored(long newRevision, Instant at) {
        return new PersistedSession(id, state, startedAt, at, iterationsCompleted, filesChanged, worktreeName,
                metadata, newRevision, writeId);
    }

    /** This version under {@code id}'s write id (for copies that must stay the same write). */
    public PersistedSession withWriteId(String id) {
        return new PersistedSession(this.id, state, startedAt, updatedAt, iterationsCompleted, filesChanged,
                worktreeName, metadata, revision, id);
    }
}
